/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.h - --trace's argument decoders (decode.c) */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

size_t decode_arg(char *buf, size_t size, char kind, uint64_t v, pid_t tid);
size_t decode_flags(char *buf, size_t size, uint64_t v, char kind);
size_t decode_result(char *buf, size_t size, int64_t ret, int error);

#endif /* DECODE_H */
