// SPDX-License-Identifier: GPL-2.0-or-later
/* parser.c - recursive descent parser for the calculator
 *
 * Grammar, lowest precedence first:
 *
 *   program := expr (';' expr)* [';']
 *   expr    := cond ['=' expr]        (target: a variable or f(x, y))
 *   cond    := or ['?' expr ':' cond]
 *   or      := and ('||' and)*
 *   and     := cmp ('&&' cmp)*
 *   cmp     := add (('=='|'!='|'<'|'<='|'>'|'>=') add)*
 *   add     := mul (('+'|'-') mul)*
 *   mul     := unary (('*'|'/'|'%') unary)*
 *   unary   := ('-'|'+'|'!') unary | power
 *   power   := primary ['^' unary]    (right associative)
 *   primary := NUM | IDENT | IDENT '(' [expr (',' expr)*] ')' | '(' expr ')'
 *
 * Errors are reported once, as "pos N: message", and unwind as NULL.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

struct parser {
	struct lexer lx;
	struct strbuf *err;
	int failed;
};

static struct node *parse_expr(struct parser *p);
static struct node *parse_unary(struct parser *p);

/**
 * fail() - record the first error
 * @p:		parser
 * @t:		token where it happened
 * @what:	message
 *
 * Return: NULL, for convenience
 */
static struct node *fail(struct parser *p, struct token t, const char *what)
{
	if (!p->failed)
		sb_printf(p->err, "pos %zu: %s, got %s", t.pos + 1, what,
			  tok_name(t.kind));
	p->failed = 1;
	return NULL;
}

/**
 * new_node() - allocate a node
 * @kind:	kind
 * @t:		token it starts at
 *
 * Return: zeroed node
 */
static struct node *new_node(enum node_kind kind, struct token t)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		perror("calloc");
		exit(1);
	}
	n->kind = kind;
	n->op = t.kind;
	n->pos = t.pos;
	bi_init(&n->num);
	vec_init(&n->args);
	return n;
}

/**
 * node_free() - free a tree
 * @ptr:	root, may be NULL
 */
void node_free(void *ptr)
{
	struct node *n = ptr;

	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	node_free(n->c);
	vec_free(&n->args, node_free);
	bi_free(&n->num);
	free(n->name);
	free(n);
}

/**
 * binary() - build a binary node, freeing the operands on failure
 * @t:		operator token
 * @a:		left operand
 * @b:		right operand, NULL if it failed to parse
 *
 * Return: the node, NULL on failure
 */
static struct node *binary(struct token t, struct node *a, struct node *b)
{
	struct node *n;

	if (!b) {
		node_free(a);
		return NULL;
	}
	n = new_node(N_BINARY, t);
	n->a = a;
	n->b = b;
	return n;
}

/**
 * parse_args() - parse a call's arguments after its '('
 * @p:		parser
 * @call:	node to fill
 *
 * Return: @call, NULL (freeing it) on error
 */
static struct node *parse_args(struct parser *p, struct node *call)
{
	struct token t;

	if (lex_peek(&p->lx).kind == TOK_RPAREN) {
		lex_next(&p->lx);
		return call;
	}
	for (;;) {
		struct node *arg = parse_expr(p);

		if (!arg)
			break;
		vec_push(&call->args, arg);
		t = lex_next(&p->lx);
		if (t.kind == TOK_RPAREN)
			return call;
		if (t.kind != TOK_COMMA) {
			fail(p, t, "expected ',' or ')'");
			break;
		}
	}
	node_free(call);
	return NULL;
}

/**
 * parse_primary() - numbers, names, calls and parenthesised expressions
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_primary(struct parser *p)
{
	struct token t = lex_next(&p->lx);
	struct node *n;

	switch (t.kind) {
	case TOK_NUM:
		n = new_node(N_NUM, t);
		bi_set_str(&n->num, t.start, t.len);
		return n;
	case TOK_IDENT:
		n = new_node(N_VAR, t);
		n->name = strndup(t.start, t.len);
		if (lex_peek(&p->lx).kind != TOK_LPAREN)
			return n;
		lex_next(&p->lx);
		n->kind = N_CALL;
		return parse_args(p, n);
	case TOK_LPAREN:
		n = parse_expr(p);
		if (!n)
			return NULL;
		t = lex_next(&p->lx);
		if (t.kind != TOK_RPAREN) {
			node_free(n);
			return fail(p, t, "expected ')'");
		}
		return n;
	default:
		return fail(p, t, "expected a number, a name or '('");
	}
}

/**
 * parse_power() - exponentiation, right associative, binding tighter than
 *		   unary minus on its left (-2^2 is -4)
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_power(struct parser *p)
{
	struct node *n = parse_primary(p);
	struct token t;

	if (!n || lex_peek(&p->lx).kind != TOK_CARET)
		return n;
	t = lex_next(&p->lx);
	return binary(t, n, parse_unary(p));
}

/**
 * parse_unary() - prefix '-', '+' and '!'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_unary(struct parser *p)
{
	struct token t = lex_peek(&p->lx);
	struct node *n, *a;

	if (t.kind != TOK_MINUS && t.kind != TOK_PLUS && t.kind != TOK_NOT)
		return parse_power(p);
	lex_next(&p->lx);
	a = parse_unary(p);
	if (!a)
		return NULL;
	if (t.kind == TOK_PLUS)
		return a;
	n = new_node(N_UNARY, t);
	n->a = a;
	return n;
}

/**
 * parse_left() - one left-associative precedence level
 * @p:		parser
 * @next:	parser of the next tighter level
 * @ops:	operators of this level, terminated by TOK_EOF
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_left(struct parser *p,
			       struct node *(*next)(struct parser *),
			       const enum tok_kind *ops)
{
	struct node *n = next(p);

	while (n) {
		struct token t = lex_peek(&p->lx);
		const enum tok_kind *op;

		for (op = ops; *op != TOK_EOF && *op != t.kind; op++)
			;
		if (*op == TOK_EOF)
			break;
		lex_next(&p->lx);
		n = binary(t, n, next(p));
	}
	return n;
}

/**
 * parse_mul() - '*', '/' and '%'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_mul(struct parser *p)
{
	static const enum tok_kind ops[] = {
		TOK_STAR, TOK_SLASH, TOK_PERCENT, TOK_EOF
	};

	return parse_left(p, parse_unary, ops);
}

/**
 * parse_add() - '+' and '-'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_add(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_PLUS, TOK_MINUS, TOK_EOF };

	return parse_left(p, parse_mul, ops);
}

/**
 * parse_cmp() - comparisons
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_cmp(struct parser *p)
{
	static const enum tok_kind ops[] = {
		TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_EOF
	};

	return parse_left(p, parse_add, ops);
}

/**
 * parse_and() - '&&'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_and(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_AND, TOK_EOF };

	return parse_left(p, parse_cmp, ops);
}

/**
 * parse_or() - '||'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_or(struct parser *p)
{
	static const enum tok_kind ops[] = { TOK_OR, TOK_EOF };

	return parse_left(p, parse_and, ops);
}

/**
 * parse_cond() - 'a ? b : c'
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_cond(struct parser *p)
{
	struct node *n = parse_or(p), *c;
	struct token t;

	if (!n || lex_peek(&p->lx).kind != TOK_QUESTION)
		return n;
	t = lex_next(&p->lx);
	c = new_node(N_COND, t);
	c->a = n;
	c->b = parse_expr(p);
	if (!c->b)
		goto err;
	t = lex_next(&p->lx);
	if (t.kind != TOK_COLON) {
		fail(p, t, "expected ':'");
		goto err;
	}
	c->c = parse_cond(p);
	if (c->c)
		return c;
err:
	node_free(c);
	return NULL;
}

/**
 * make_target() - turn the left side of '=' into an assignment or definition
 * @p:		parser
 * @lhs:	parsed left side
 * @t:		the '=' token
 *
 * Return: @lhs, converted, or NULL (freeing it) if it cannot be assigned
 */
static struct node *make_target(struct parser *p, struct node *lhs,
				struct token t)
{
	size_t i;

	if (lhs->kind == N_VAR) {
		lhs->kind = N_ASSIGN;
		return lhs;
	}
	if (lhs->kind == N_CALL) {
		for (i = 0; i < lhs->args.len; i++)
			if (((struct node *)lhs->args.items[i])->kind != N_VAR)
				break;
		if (i == lhs->args.len) {
			lhs->kind = N_DEFINE;
			return lhs;
		}
	}
	node_free(lhs);
	return fail(p, t, "cannot assign to this");
}

/**
 * parse_expr() - an expression, possibly an assignment
 * @p:		parser
 *
 * Return: the tree, NULL on error
 */
static struct node *parse_expr(struct parser *p)
{
	struct node *n = parse_cond(p);
	struct token t;

	if (!n || lex_peek(&p->lx).kind != TOK_ASSIGN)
		return n;
	t = lex_next(&p->lx);
	n = make_target(p, n, t);
	if (!n)
		return NULL;
	n->a = parse_expr(p);
	if (n->a)
		return n;
	node_free(n);
	return NULL;
}

/**
 * parse_program() - parse ';'-separated expressions
 * @src:	source text
 * @err:	receives the error message
 *
 * Return: the tree, NULL on error or on empty input (then @err is empty)
 */
struct node *parse_program(const char *src, struct strbuf *err)
{
	struct parser p = { .err = err };
	struct node *prog = NULL, *n, *seq;
	struct token t;

	lex_init(&p.lx, src);
	while (lex_peek(&p.lx).kind != TOK_EOF) {
		n = parse_expr(&p);
		if (!n)
			goto err;
		if (prog) {
			seq = new_node(N_SEQ, lex_peek(&p.lx));
			seq->a = prog;
			seq->b = n;
			n = seq;
		}
		prog = n;
		t = lex_next(&p.lx);
		if (t.kind == TOK_EOF)
			break;
		if (t.kind != TOK_SEMI) {
			fail(&p, t, "expected ';' or the end");
			goto err;
		}
	}
	return prog;
err:
	node_free(prog);
	return NULL;
}

/**
 * node_print() - append a fully parenthesised form of a tree
 * @sb:		buffer
 * @n:		tree
 */
void node_print(struct strbuf *sb, const struct node *n)
{
	size_t i;

	switch (n->kind) {
	case N_NUM:
		bi_format(sb, &n->num);
		break;
	case N_VAR:
		sb_puts(sb, n->name);
		break;
	case N_UNARY:
		sb_printf(sb, "(%s", n->op == TOK_NOT ? "!" : "-");
		node_print(sb, n->a);
		sb_putc(sb, ')');
		break;
	case N_BINARY:
		sb_putc(sb, '(');
		node_print(sb, n->a);
		sb_printf(sb, " %.*s ", (int)strlen(tok_name(n->op)) - 2,
			  tok_name(n->op) + 1);
		node_print(sb, n->b);
		sb_putc(sb, ')');
		break;
	case N_ASSIGN:
	case N_DEFINE:
	case N_CALL:
		sb_puts(sb, n->name);
		if (n->kind != N_ASSIGN) {
			sb_putc(sb, '(');
			for (i = 0; i < n->args.len; i++) {
				if (i)
					sb_puts(sb, ", ");
				node_print(sb, n->args.items[i]);
			}
			sb_putc(sb, ')');
		}
		if (n->kind == N_CALL)
			break;
		sb_puts(sb, " = ");
		node_print(sb, n->a);
		break;
	case N_COND:
		sb_putc(sb, '(');
		node_print(sb, n->a);
		sb_puts(sb, " ? ");
		node_print(sb, n->b);
		sb_puts(sb, " : ");
		node_print(sb, n->c);
		sb_putc(sb, ')');
		break;
	case N_SEQ:
		node_print(sb, n->a);
		sb_puts(sb, "; ");
		node_print(sb, n->b);
		break;
	}
}
