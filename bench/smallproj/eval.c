// SPDX-License-Identifier: GPL-2.0-or-later
/* eval.c - tree-walking evaluator with scopes and user functions
 *
 * Values are big integers; truth is "non-zero", and comparisons and logic
 * operators yield 0 or 1. '&&', '||' and '?:' evaluate lazily. A user
 * function f(x, y) = body gets a fresh scope holding its parameters, chained
 * to the global one, so it can read globals and recurse.
 */

#include <stdlib.h>

#include "eval.h"

#define MAX_DEPTH 2000

/**
 * error() - record an evaluation error
 * @e:		environment
 * @n:		node where it happened
 * @msg:	message
 *
 * Return: -1, for convenience
 */
static int error(struct env *e, const struct node *n, const char *msg)
{
	if (!e->err.len)
		sb_printf(&e->err, "pos %zu: %s", n->pos + 1, msg);
	return -1;
}

/**
 * free_value() - free a heap-allocated bigint
 * @v:		value
 */
static void free_value(void *v)
{
	bi_free(v);
	free(v);
}

/**
 * scope_init() - set up an empty scope
 * @s:		scope
 * @up:		enclosing scope
 */
static void scope_init(struct scope *s, struct scope *up)
{
	hm_init(&s->vars);
	s->up = up;
}

/**
 * scope_set() - set a variable in a scope
 * @s:		scope
 * @name:	name
 * @v:		value (copied)
 */
static void scope_set(struct scope *s, const char *name, const struct bigint *v)
{
	struct bigint *slot = hm_get(&s->vars, name);

	if (!slot) {
		slot = malloc(sizeof(*slot));
		if (!slot)
			abort();
		bi_init(slot);
		hm_put(&s->vars, name, slot);
	}
	bi_copy(slot, v);
}

/**
 * lookup() - find a variable, innermost scope first
 * @e:		environment
 * @name:	name
 *
 * Return: the value, NULL if undefined
 */
static const struct bigint *lookup(const struct env *e, const char *name)
{
	const struct scope *s;

	for (s = e->cur; s; s = s->up) {
		const struct bigint *v = hm_get(&s->vars, name);

		if (v)
			return v;
	}
	return NULL;
}

/**
 * env_init() - set up an environment with no variables
 * @e:		environment
 */
void env_init(struct env *e)
{
	struct bigint v;

	scope_init(&e->global, NULL);
	e->cur = &e->global;
	hm_init(&e->funcs);
	vec_init(&e->trees);
	sb_init(&e->err);
	e->depth = 0;
	bi_init(&v);
	bi_set_long(&v, 1);
	scope_set(&e->global, "true", &v);
	bi_set_long(&v, 0);
	scope_set(&e->global, "false", &v);
	bi_free(&v);
}

/**
 * env_free() - release an environment
 * @e:		environment
 */
void env_free(struct env *e)
{
	hm_free(&e->global.vars, free_value);
	hm_free(&e->funcs, NULL);
	vec_free(&e->trees, node_free);
	sb_free(&e->err);
}

/**
 * truth() - 0 or 1 as a bigint
 * @out:	result
 * @b:		truth value
 *
 * Return: 0
 */
static int truth(struct bigint *out, int b)
{
	bi_set_long(out, b);
	return 0;
}

/**
 * eval_arith() - the arithmetic operators
 * @e:		environment
 * @n:		the operator node
 * @a:		left value
 * @b:		right value
 * @out:	result
 *
 * Return: 0, or -1 with e->err set
 */
static int eval_arith(struct env *e, const struct node *n,
		      const struct bigint *a, const struct bigint *b,
		      struct bigint *out)
{
	long exp;

	switch (n->op) {
	case TOK_PLUS:
		bi_add(out, a, b);
		return 0;
	case TOK_MINUS:
		bi_sub(out, a, b);
		return 0;
	case TOK_STAR:
		bi_mul(out, a, b);
		return 0;
	case TOK_SLASH:
	case TOK_PERCENT:
		if (bi_divmod(n->op == TOK_SLASH ? out : NULL,
			      n->op == TOK_PERCENT ? out : NULL, a, b))
			return error(e, n, "division by zero");
		return 0;
	case TOK_CARET:
		if (bi_to_long(b, &exp) || exp < 0)
			return error(e, n, "exponent out of range");
		if (bi_pow(out, a, (unsigned long)exp))
			return error(e, n, "result too large");
		return 0;
	default:
		return error(e, n, "unknown operator");
	}
}

/**
 * eval_compare() - comparison operators
 * @n:		the operator node
 * @a:		left value
 * @b:		right value
 * @out:	0 or 1
 *
 * Return: 0
 */
static int eval_compare(const struct node *n, const struct bigint *a,
			const struct bigint *b, struct bigint *out)
{
	int c = bi_cmp(a, b);

	switch (n->op) {
	case TOK_EQ:
		return truth(out, c == 0);
	case TOK_NE:
		return truth(out, c != 0);
	case TOK_LT:
		return truth(out, c < 0);
	case TOK_LE:
		return truth(out, c <= 0);
	case TOK_GT:
		return truth(out, c > 0);
	default:
		return truth(out, c >= 0);
	}
}

/**
 * eval_logic() - '&&' and '||', evaluating the right side only if needed
 * @e:		environment
 * @n:		the operator node
 * @out:	0 or 1
 *
 * Return: 0, or -1 with e->err set
 */
static int eval_logic(struct env *e, const struct node *n, struct bigint *out)
{
	int left;

	if (eval_node(e, n->a, out))
		return -1;
	left = !bi_is_zero(out);
	if (n->op == TOK_AND ? !left : left)
		return truth(out, left);
	if (eval_node(e, n->b, out))
		return -1;
	return truth(out, !bi_is_zero(out));
}

/**
 * eval_binary() - any binary operator
 * @e:		environment
 * @n:		the operator node
 * @out:	result
 *
 * Return: 0, or -1 with e->err set
 */
static int eval_binary(struct env *e, const struct node *n, struct bigint *out)
{
	struct bigint a, b;
	int ret = -1;

	if (n->op == TOK_AND || n->op == TOK_OR)
		return eval_logic(e, n, out);
	bi_init(&a);
	bi_init(&b);
	if (eval_node(e, n->a, &a) || eval_node(e, n->b, &b))
		goto out;
	switch (n->op) {
	case TOK_EQ: case TOK_NE: case TOK_LT:
	case TOK_LE: case TOK_GT: case TOK_GE:
		ret = eval_compare(n, &a, &b, out);
		break;
	default:
		ret = eval_arith(e, n, &a, &b, out);
	}
out:
	bi_free(&a);
	bi_free(&b);
	return ret;
}

/**
 * eval_args() - evaluate a call's arguments
 * @e:		environment
 * @call:	call node
 * @args:	array of call->args.len values, initialised here
 *
 * Return: 0, or -1 with e->err set (the values are initialised anyway)
 */
static int eval_args(struct env *e, const struct node *call,
		     struct bigint *args)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < call->args.len; i++)
		bi_init(&args[i]);
	for (i = 0; i < call->args.len && !ret; i++)
		ret = eval_node(e, call->args.items[i], &args[i]);
	return ret;
}

/**
 * call_user() - run a user-defined function in a fresh scope
 * @e:		environment
 * @def:	its N_DEFINE node
 * @call:	the call node
 * @args:	evaluated arguments
 * @out:	result
 *
 * Return: 0, or -1 with e->err set
 */
static int call_user(struct env *e, const struct node *def,
		     const struct node *call, struct bigint *args,
		     struct bigint *out)
{
	struct scope local, *saved = e->cur;
	size_t i;
	int ret;

	if (def->args.len != call->args.len)
		return error(e, call, "wrong number of arguments");
	if (e->depth >= MAX_DEPTH)
		return error(e, call, "recursion too deep");
	scope_init(&local, &e->global);
	for (i = 0; i < def->args.len; i++)
		scope_set(&local, ((struct node *)def->args.items[i])->name,
			  &args[i]);
	e->cur = &local;
	e->depth++;
	ret = eval_node(e, def->a, out);
	e->depth--;
	e->cur = saved;
	hm_free(&local.vars, free_value);
	return ret;
}

/**
 * eval_call() - call a user function or a builtin
 * @e:		environment
 * @n:		call node
 * @out:	result
 *
 * Return: 0, or -1 with e->err set
 */
static int eval_call(struct env *e, const struct node *n, struct bigint *out)
{
	const struct node *def = hm_get(&e->funcs, n->name);
	struct bigint *args;
	size_t i;
	int ret;

	if (!def && !builtin_exists(n->name))
		return error(e, n, "unknown function");
	args = calloc(n->args.len + 1, sizeof(*args));
	if (!args)
		abort();
	ret = eval_args(e, n, args);
	if (!ret && def)
		ret = call_user(e, def, n, args, out);
	else if (!ret)
		ret = builtin_call(e, n, args, n->args.len, out);
	for (i = 0; i < n->args.len; i++)
		bi_free(&args[i]);
	free(args);
	return ret;
}

/**
 * eval_var() - read a variable
 * @e:		environment
 * @n:		N_VAR node
 * @out:	its value
 *
 * Return: 0, or -1 with e->err set
 */
static int eval_var(struct env *e, const struct node *n, struct bigint *out)
{
	const struct bigint *v = lookup(e, n->name);

	if (!v)
		return error(e, n, "undefined variable");
	bi_copy(out, v);
	return 0;
}

/**
 * eval_node() - evaluate a tree
 * @e:		environment
 * @n:		tree
 * @out:	its value
 *
 * Return: 0, or -1 with e->err set
 */
int eval_node(struct env *e, const struct node *n, struct bigint *out)
{
	switch (n->kind) {
	case N_NUM:
		bi_copy(out, &n->num);
		return 0;
	case N_VAR:
		return eval_var(e, n, out);
	case N_UNARY:
		if (eval_node(e, n->a, out))
			return -1;
		if (n->op == TOK_NOT)
			return truth(out, bi_is_zero(out));
		out->neg = !out->neg && !bi_is_zero(out);
		return 0;
	case N_BINARY:
		return eval_binary(e, n, out);
	case N_ASSIGN:
		if (eval_node(e, n->a, out))
			return -1;
		scope_set(e->cur, n->name, out);
		return 0;
	case N_DEFINE:
		hm_put(&e->funcs, n->name, (void *)n);
		bi_set_long(out, (long)n->args.len);
		return 0;
	case N_CALL:
		return eval_call(e, n, out);
	case N_COND:
		if (eval_node(e, n->a, out))
			return -1;
		return eval_node(e, bi_is_zero(out) ? n->c : n->b, out);
	case N_SEQ:
		if (eval_node(e, n->a, out))
			return -1;
		return eval_node(e, n->b, out);
	}
	return error(e, n, "bad node");
}

/**
 * env_eval() - parse and evaluate one line of input
 * @e:		environment
 * @src:	source text
 * @out:	receives the value's decimal form, or the error message
 *
 * Return: 0, 1 if the input was empty, or -1 on error
 */
int env_eval(struct env *e, const char *src, struct strbuf *out)
{
	struct node *prog;
	struct bigint v;
	int ret;

	sb_reset(&e->err);
	sb_reset(out);
	prog = parse_program(src, &e->err);
	if (!prog) {
		sb_puts(out, e->err.buf);
		return e->err.len ? -1 : 1;
	}
	vec_push(&e->trees, prog);	/* functions point into it */
	bi_init(&v);
	ret = eval_node(e, prog, &v);
	if (ret)
		sb_puts(out, e->err.buf);
	else
		bi_format(out, &v);
	bi_free(&v);
	return ret;
}
