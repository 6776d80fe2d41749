// libpq, loaded at run time (libpq_shim.c). Only a PostgreSQL vault needs it, so the
// release binary does not link it: its `ldd` list stays glibc (and libqrencode), and a
// machine without libpq5 runs every file-vault command. The few libpq calls mfactl makes
// are declared here by hand (the stable libpq ABI, soname libpq.so.5), so building needs
// no libpq-dev either.
#ifndef MFACTL_LIBPQ_SHIM_H
#define MFACTL_LIBPQ_SHIM_H

#include <stddef.h>

typedef struct mfa_pg_conn mfa_pg_conn;
typedef struct mfa_pg_result mfa_pg_result;

/// Loads libpq.so.5 once. 0 when every function was found; otherwise -1, and
/// `mfa_pq_load_error` says why (dlopen's message).
int mfa_pq_load(void);
const char *mfa_pq_load_error(void);

// The libpq functions of the same names (PQconnectdbParams, ...), through the loaded
// library. Call only after mfa_pq_load() returned 0.
mfa_pg_conn *mfa_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
/// 0 is CONNECTION_OK.
int mfa_PQstatus(const mfa_pg_conn *conn);
const char *mfa_PQerrorMessage(const mfa_pg_conn *conn);
void mfa_PQfinish(mfa_pg_conn *conn);
/// Server notices (NOTICE, WARNING) are dropped instead of going to stderr.
void mfa_pq_silence_notices(mfa_pg_conn *conn);

mfa_pg_result *mfa_PQexec(mfa_pg_conn *conn, const char *query);
mfa_pg_result *mfa_PQexecParams(mfa_pg_conn *conn, const char *command, int nParams, const unsigned int *paramTypes,
                                const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                                int resultFormat);
/// 1 is PGRES_COMMAND_OK, 2 PGRES_TUPLES_OK.
int mfa_PQresultStatus(const mfa_pg_result *res);
/// The SQLSTATE of a failed result (five characters), or NULL.
const char *mfa_pq_sqlstate(const mfa_pg_result *res);
const char *mfa_PQresultErrorMessage(const mfa_pg_result *res);
int mfa_PQntuples(const mfa_pg_result *res);
int mfa_PQnfields(const mfa_pg_result *res);
const char *mfa_PQgetvalue(const mfa_pg_result *res, int row, int column);
int mfa_PQgetlength(const mfa_pg_result *res, int row, int column);
int mfa_PQgetisnull(const mfa_pg_result *res, int row, int column);
void mfa_PQclear(mfa_pg_result *res);

#endif
