// SPDX-License-Identifier: GPL-2.0-or-later
/* lexer.c - split calculator input into tokens
 *
 * Numbers are decimal integers of any length, identifiers are C-like, '#'
 * starts a comment that runs to the end of the line.
 */

#include <ctype.h>
#include <string.h>

#include "lexer.h"

static const struct {
	const char *text;
	enum tok_kind kind;
} operators[] = {	/* two-character operators first */
	{ "==", TOK_EQ }, { "!=", TOK_NE }, { "<=", TOK_LE }, { ">=", TOK_GE },
	{ "&&", TOK_AND }, { "||", TOK_OR }, { "**", TOK_CARET },
	{ "(", TOK_LPAREN }, { ")", TOK_RPAREN }, { ",", TOK_COMMA },
	{ "+", TOK_PLUS }, { "-", TOK_MINUS }, { "*", TOK_STAR },
	{ "/", TOK_SLASH }, { "%", TOK_PERCENT }, { "^", TOK_CARET },
	{ "=", TOK_ASSIGN }, { "<", TOK_LT }, { ">", TOK_GT },
	{ "!", TOK_NOT }, { "?", TOK_QUESTION }, { ":", TOK_COLON },
	{ ";", TOK_SEMI },
};

static const char *const names[] = {
	[TOK_EOF] = "end of input", [TOK_NUM] = "number",
	[TOK_IDENT] = "identifier", [TOK_LPAREN] = "'('",
	[TOK_RPAREN] = "')'", [TOK_COMMA] = "','", [TOK_PLUS] = "'+'",
	[TOK_MINUS] = "'-'", [TOK_STAR] = "'*'", [TOK_SLASH] = "'/'",
	[TOK_PERCENT] = "'%'", [TOK_CARET] = "'^'", [TOK_ASSIGN] = "'='",
	[TOK_EQ] = "'=='", [TOK_NE] = "'!='", [TOK_LT] = "'<'",
	[TOK_LE] = "'<='", [TOK_GT] = "'>'", [TOK_GE] = "'>='",
	[TOK_AND] = "'&&'", [TOK_OR] = "'||'", [TOK_NOT] = "'!'",
	[TOK_QUESTION] = "'?'", [TOK_COLON] = "':'", [TOK_SEMI] = "';'",
	[TOK_ERROR] = "invalid character",
};

_Static_assert(sizeof(names) / sizeof(names[0]) == TOK_ERROR + 1,
	       "every token kind has a name");

/**
 * tok_name() - human-readable name of a token kind
 * @kind:	kind
 *
 * Return: static string
 */
const char *tok_name(enum tok_kind kind)
{
	return names[kind];
}

/**
 * lex_init() - start lexing a string
 * @lx:		lexer
 * @src:	NUL-terminated source, kept by reference
 */
void lex_init(struct lexer *lx, const char *src)
{
	lx->src = src;
	lx->pos = 0;
	lx->has_peeked = 0;
}

/**
 * skip_space() - skip white space and comments
 * @lx:		lexer
 */
static void skip_space(struct lexer *lx)
{
	for (;;) {
		char c = lx->src[lx->pos];

		if (isspace((unsigned char)c)) {
			lx->pos++;
		} else if (c == '#') {
			while (lx->src[lx->pos] && lx->src[lx->pos] != '\n')
				lx->pos++;
		} else {
			return;
		}
	}
}

/**
 * scan_span() - token made of characters accepted by @accept
 * @lx:		lexer
 * @kind:	kind to give it
 * @accept:	character class test
 *
 * Return: the token
 */
static struct token scan_span(struct lexer *lx, enum tok_kind kind,
			      int (*accept)(int))
{
	struct token t = { kind, lx->src + lx->pos, 0, lx->pos };

	while (accept((unsigned char)lx->src[lx->pos]) ||
	       (kind == TOK_IDENT && lx->src[lx->pos] == '_'))
		lx->pos++;
	t.len = lx->pos - t.pos;
	return t;
}

/**
 * scan() - read the next token from the source
 * @lx:		lexer
 *
 * Return: the token (TOK_EOF at the end, TOK_ERROR on a stray character)
 */
static struct token scan(struct lexer *lx)
{
	struct token t;
	size_t i;
	char c;

	skip_space(lx);
	c = lx->src[lx->pos];
	t = (struct token){ TOK_EOF, lx->src + lx->pos, 0, lx->pos };
	if (!c)
		return t;
	if (isdigit((unsigned char)c))
		return scan_span(lx, TOK_NUM, isdigit);
	if (isalpha((unsigned char)c) || c == '_')
		return scan_span(lx, TOK_IDENT, isalnum);
	for (i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		size_t n = strlen(operators[i].text);

		if (!strncmp(lx->src + lx->pos, operators[i].text, n)) {
			t.kind = operators[i].kind;
			t.len = n;
			lx->pos += n;
			return t;
		}
	}
	t.kind = TOK_ERROR;
	t.len = 1;
	lx->pos++;
	return t;
}

/**
 * lex_next() - consume the next token
 * @lx:		lexer
 *
 * Return: the token
 */
struct token lex_next(struct lexer *lx)
{
	if (lx->has_peeked) {
		lx->has_peeked = 0;
		return lx->peeked;
	}
	return scan(lx);
}

/**
 * lex_peek() - look at the next token without consuming it
 * @lx:		lexer
 *
 * Return: the token
 */
struct token lex_peek(struct lexer *lx)
{
	if (!lx->has_peeked) {
		lx->peeked = scan(lx);
		lx->has_peeked = 1;
	}
	return lx->peeked;
}
