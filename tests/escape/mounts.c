// SPDX-License-Identifier: GPL-2.0-or-later
/* mounts.c - mount tricks inside the view: bind the host's / or the
 * secret's directory somewhere visible, unmount what covers it, stand in a
 * bound directory while it is unbound
 *
 * usage: mounts WORKDIR SECRET_FILE
 * WORKDIR is a writable bind of the view; the secret lives beside it on
 * the host ($E/work, $E/secret/key).
 */
#include "escape.h"

#include <libgen.h>
#include <sys/mount.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	char m[4096], p[8192], d[4096], s[4096], t[4096];
	int r;

	if (argc != 3)
		return 2;
	snprintf(t, sizeof(t), "%s", argv[2]);
	snprintf(d, sizeof(d), "%s", dirname(t));
	snprintf(s, sizeof(s), "%s", argv[2]);
	snprintf(m, sizeof(m), "%s/mnt", argv[1]);
	mkdir(m, 0755);

	tried("mount --bind / %s, then the secret below it", m);
	r = mount("/", m, NULL, MS_BIND | MS_REC, NULL);
	snprintf(p, sizeof(p), "%s%s", m, argv[2]);
	outcome(has_secret(open(p, O_RDONLY)), "mount: %s; %s", r ? strerror(errno) : "ok", p);
	umount2(m, MNT_DETACH);

	tried("mount --bind %s %s", d, m);
	r = mount(d, m, NULL, MS_BIND, NULL);
	snprintf(p, sizeof(p), "%s/%s", m, basename(s));
	outcome(has_secret(open(p, O_RDONLY)), "mount: %s; %s", r ? strerror(errno) : "ok", p);
	umount2(m, MNT_DETACH);

	tried("chdir into %s, unmount it, then \"..\"", argv[1]);
	if (chdir(argv[1]) < 0) {
		perror(argv[1]);
	} else {
		r = umount2(argv[1], MNT_DETACH);
		printf("  (umount: %s)\n", r ? strerror(errno) : "ok");
		snprintf(p, sizeof(p), "../%s/%s", basename(d), basename(s));
		outcome(has_secret(open(p, O_RDONLY)), "%s", p);
		outcome(has_secret(open("/proc/self/cwd/../secret/key", O_RDONLY)),
			"/proc/self/cwd/../secret/key");
	}
	tried("umount /usr, /tmp and / to see what is below");
	printf("  (umount /usr: %s)\n", umount2("/usr", MNT_DETACH) ? strerror(errno) : "ok");
	printf("  (umount /tmp: %s)\n", umount2("/tmp", MNT_DETACH) ? strerror(errno) : "ok");
	printf("  (umount /: %s)\n", umount2("/", MNT_DETACH) ? strerror(errno) : "ok");
	outcome(has_secret(open(argv[2], O_RDONLY)), "%s after the umounts", argv[2]);

	tried("mount a new proc and a tmpfs over /");
	mount("proc", m, "proc", 0, NULL);
	mount("none", "/", "tmpfs", 0, NULL);
	outcome(has_secret(open(argv[2], O_RDONLY)), "%s after them", argv[2]);
	return finish();
}
