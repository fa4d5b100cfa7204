# gensys.awk - turn core/syscalls.list into C
#
# Usage: awk -v out=table -f gensys.awk syscalls.list > sys_table.c
#        awk -v out=header -f gensys.awk syscalls.list > sys_gen.h
# The header declares the core handler sys_OP() of every module operation
# OP named in the list (several syscalls may share one); the table maps each syscall number to its name, argument kinds,
# class, handler and the offset of that operation in struct facet_module.

/^[ \t]*(#|$)/ { next }
{
	n++; name[n] = $1; args[n] = ($2 == "-") ? "" : $2
	cls[n] = toupper($3); op[n] = $4
}
END {
	print "/* Generated from core/syscalls.list by core/gensys.awk: do not edit. */"
	if (out == "header") {
		print "#ifndef SYS_GEN_H\n#define SYS_GEN_H\n"
		print "struct facet;\nstruct facet_call;\nenum facet_outcome;\n"
		for (i = 1; i <= n; i++) if (op[i] != "-" && !seen[op[i]]++)
			printf "enum facet_outcome sys_%s(struct facet *f, struct facet_call *call);\n", op[i]
		printf "\n#define SYS_COUNT %d\n\n#endif /* SYS_GEN_H */\n", n
		exit
	}
	print "#include <stddef.h>\n#include <sys/syscall.h>\n#include \"facet_module.h\""
	print "#include \"syscalls.h\"\n#include \"sys_gen.h\"\n"
	print "const struct sys_desc sys_table[SYS_NR_MAX] = {"
	for (i = 1; i <= n; i++) {
		h = (op[i] == "-") ? "NULL" : "sys_" op[i]
		o = (op[i] == "-") ? "0" : "offsetof(struct facet_module, " op[i] ")"
		printf "\t[__NR_%s] = { \"%s\", \"%s\", SC_%s, %s, %s },\n", \
			name[i], name[i], args[i], cls[i], h, o
	}
	print "};"
}
