// SPDX-License-Identifier: GPL-2.0-or-later
/* path_toctou.c - a thread rewrites a path buffer, or an AF_UNIX address,
 * between a public name and the secret while another thread passes it to
 * the kernel: the check made on one and the call run on the other
 *
 * usage: path_toctou open PUBLIC_FILE SECRET_FILE TRIES
 *	  path_toctou dgram PUBLIC_SOCKET SECRET_SOCKET TRIES
 * For dgram, PUBLIC_SOCKET is bound here (in a writable place) and what
 * reaches SECRET_SOCKET, a host socket the view does not show, is counted
 * by its owner outside (the test runner); here a send that succeeded to
 * the public name is no escape.
 */
#include "escape.h"

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static char buf[4096];
static struct sockaddr_un addr;
static const char *a_name, *b_name;
static volatile int stop;

/* flipper() - rewrite the buffers back and forth */
static void *flipper(void *arg)
{
	size_t la = strlen(a_name) + 1, lb = strlen(b_name) + 1;
	int i = 0;

	(void)arg;
	while (!stop) {
		const char *s = i & 1 ? b_name : a_name;
		size_t l = i++ & 1 ? lb : la;

		memcpy(buf, s, l);
		memcpy(addr.sun_path, s, l);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long tries, i, got = 0, sent = 0;
	pthread_t th;
	int s;

	if (argc != 5 || strlen(argv[2]) >= sizeof(addr.sun_path) ||
	    strlen(argv[3]) >= sizeof(addr.sun_path))
		return 2;
	a_name = argv[2];
	b_name = argv[3];
	tries = atol(argv[4]);
	addr.sun_family = AF_UNIX;
	strcpy(buf, a_name);
	strcpy(addr.sun_path, a_name);
	if (!strcmp(argv[1], "open")) {
		pthread_create(&th, NULL, flipper, NULL);
		tried("open a buffer flipped between %s and %s, %ld times", a_name, b_name, tries);
		for (i = 0; i < tries; i++)
			got += has_secret(open(buf, O_RDONLY));
		stop = 1;
		pthread_join(th, NULL);
		outcome(got > 0, "%ld of %ld opens read the secret", got, tries);
		return finish();
	}
	if (strcmp(argv[1], "dgram"))
		return 2;
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	unlink(a_name);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		printf("skip: cannot bind %s: %s\n", a_name, strerror(errno));
		return 77;
	}
	fcntl(s, F_SETFL, O_NONBLOCK);
	pthread_create(&th, NULL, flipper, NULL);
	tried("sendto an address flipped between %s and %s, %ld times", a_name, b_name, tries);
	for (i = 0; i < tries; i++) {
		char c;

		sent += sendto(s, "TOPSECRET", 9, MSG_DONTWAIT, (struct sockaddr *)&addr,
			       sizeof(addr)) == 9;
		while (recv(s, &c, 1, MSG_DONTWAIT) > 0)
			;
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("  sent: %ld (the secret socket's owner counts what it got)\n", sent);
	return finish();
}
