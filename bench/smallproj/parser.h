// SPDX-License-Identifier: GPL-2.0-or-later
/* parser.h - syntax trees for the calculator */
#ifndef PARSER_H
#define PARSER_H

#include "bigint.h"
#include "lexer.h"
#include "strbuf.h"
#include "vec.h"

enum node_kind {
	N_NUM,		/* num */
	N_VAR,		/* name */
	N_UNARY,	/* op a */
	N_BINARY,	/* a op b */
	N_ASSIGN,	/* name = a */
	N_DEFINE,	/* name(args...) = a; args are N_VAR nodes */
	N_CALL,		/* name(args...) */
	N_COND,		/* a ? b : c */
	N_SEQ,		/* a ; b */
};

struct node {
	enum node_kind kind;
	enum tok_kind op;
	struct bigint num;
	char *name;
	struct node *a, *b, *c;
	struct vec args;
	size_t pos;
};

struct node *parse_program(const char *src, struct strbuf *err);
void node_free(void *n);
void node_print(struct strbuf *sb, const struct node *n);

#endif /* PARSER_H */
