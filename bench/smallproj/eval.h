// SPDX-License-Identifier: GPL-2.0-or-later
/* eval.h - evaluate calculator programs */
#ifndef EVAL_H
#define EVAL_H

#include "bigint.h"
#include "hashmap.h"
#include "parser.h"
#include "strbuf.h"
#include "vec.h"

struct scope {
	struct hashmap vars;		/* name -> struct bigint * */
	struct scope *up;		/* NULL for the global scope */
};

struct env {
	struct scope global;
	struct scope *cur;
	struct hashmap funcs;		/* name -> struct node * (N_DEFINE) */
	struct vec trees;		/* parsed programs, kept for funcs */
	struct strbuf err;
	int depth;
};

void env_init(struct env *e);
void env_free(struct env *e);
int env_eval(struct env *e, const char *src, struct strbuf *out);
int eval_node(struct env *e, const struct node *n, struct bigint *out);

/* builtins.c */
int builtin_call(struct env *e, const struct node *call, struct bigint *args,
		 size_t n, struct bigint *out);
int builtin_exists(const char *name);
void builtin_list(struct strbuf *sb);

#endif /* EVAL_H */
