// SPDX-License-Identifier: GPL-2.0-or-later
/* lexer.h - tokens of the calculator's language */
#ifndef LEXER_H
#define LEXER_H

#include <stddef.h>

enum tok_kind {
	TOK_EOF, TOK_NUM, TOK_IDENT, TOK_LPAREN, TOK_RPAREN, TOK_COMMA,
	TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT, TOK_CARET,
	TOK_ASSIGN, TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE,
	TOK_AND, TOK_OR, TOK_NOT, TOK_QUESTION, TOK_COLON, TOK_SEMI,
	TOK_ERROR,
};

struct token {
	enum tok_kind kind;
	const char *start;	/* points into the source text */
	size_t len;
	size_t pos;		/* byte offset, for error messages */
};

struct lexer {
	const char *src;
	size_t pos;
	struct token peeked;
	int has_peeked;
};

void lex_init(struct lexer *lx, const char *src);
struct token lex_next(struct lexer *lx);
struct token lex_peek(struct lexer *lx);
const char *tok_name(enum tok_kind kind);

#endif /* LEXER_H */
