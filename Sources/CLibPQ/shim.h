#ifndef SATANG_CLIBPQ_SHIM_H
#define SATANG_CLIBPQ_SHIM_H

#include <libpq-fe.h>
#include <poll.h>

/* Readiness notification for libpq sockets in non-blocking mode (PostgresClient's QueryReactor). */
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* libpq's PG_DIAG_* are character macros that Swift cannot import; re-export them as constants. */
static const int satang_PG_DIAG_SEVERITY = 'S';
static const int satang_PG_DIAG_SQLSTATE = 'C';
static const int satang_PG_DIAG_MESSAGE_PRIMARY = 'M';
static const int satang_PG_DIAG_MESSAGE_DETAIL = 'D';
static const int satang_PG_DIAG_MESSAGE_HINT = 'H';
static const int satang_PG_DIAG_CONSTRAINT_NAME = 'n';
static const int satang_PG_DIAG_TABLE_NAME = 't';
static const int satang_PG_DIAG_COLUMN_NAME = 'c';

#endif
