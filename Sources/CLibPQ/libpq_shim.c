// See include/libpq_shim.h: libpq through dlopen, so it is a run-time dependency of
// PostgreSQL vaults only.
#include "libpq_shim.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "load_guard.h"

typedef void (*notice_processor)(void *arg, const char *message);

static struct {
  int state; // 0 not tried, 1 loaded, -1 failed
  char error[256];
  mfa_pg_conn *(*connectdb_params)(const char *const *, const char *const *, int);
  int (*status)(const mfa_pg_conn *);
  char *(*error_message)(const mfa_pg_conn *);
  void (*finish)(mfa_pg_conn *);
  notice_processor (*set_notice_processor)(mfa_pg_conn *, notice_processor, void *);
  mfa_pg_result *(*exec)(mfa_pg_conn *, const char *);
  mfa_pg_result *(*exec_params)(mfa_pg_conn *, const char *, int, const unsigned int *, const char *const *,
                                const int *, const int *, int);
  int (*result_status)(const mfa_pg_result *);
  char *(*result_error_field)(const mfa_pg_result *, int);
  char *(*result_error_message)(const mfa_pg_result *);
  int (*ntuples)(const mfa_pg_result *);
  int (*nfields)(const mfa_pg_result *);
  char *(*getvalue)(const mfa_pg_result *, int, int);
  int (*getlength)(const mfa_pg_result *, int, int);
  int (*getisnull)(const mfa_pg_result *, int, int);
  void (*clear)(mfa_pg_result *);
} pq;

#define LOAD(field, name)                                                                                         \
  do {                                                                                                            \
    *(void **)(&pq.field) = dlsym(handle, name);                                                                  \
    if (pq.field == NULL) {                                                                                       \
      snprintf(pq.error, sizeof pq.error, "libpq.so.5 has no %s", name);                                         \
      pq.state = -1;                                                                                              \
      return -1;                                                                                                  \
    }                                                                                                             \
  } while (0)

int mfa_pq_load(void) {
  if (pq.state != 0) return pq.state == 1 ? 0 : -1;
  // RTLD_LOCAL: libpq's symbols (and its OpenSSL, GSSAPI, LDAP) stay out of the global
  // namespace, so they cannot interpose on anything mfactl itself uses.
  if (mfactl_dlopen_check() != 0) {  // a static build with another glibc (load_guard.c)
    snprintf(pq.error, sizeof pq.error, "%s", mfactl_dlopen_refusal());
    pq.state = -1;
    return -1;
  }
  void *handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *e = dlerror();
    snprintf(pq.error, sizeof pq.error, "%s", e ? e : "libpq.so.5 cannot be loaded");
    pq.state = -1;
    return -1;
  }
  LOAD(connectdb_params, "PQconnectdbParams");
  LOAD(status, "PQstatus");
  LOAD(error_message, "PQerrorMessage");
  LOAD(finish, "PQfinish");
  LOAD(set_notice_processor, "PQsetNoticeProcessor");
  LOAD(exec, "PQexec");
  LOAD(exec_params, "PQexecParams");
  LOAD(result_status, "PQresultStatus");
  LOAD(result_error_field, "PQresultErrorField");
  LOAD(result_error_message, "PQresultErrorMessage");
  LOAD(ntuples, "PQntuples");
  LOAD(nfields, "PQnfields");
  LOAD(getvalue, "PQgetvalue");
  LOAD(getlength, "PQgetlength");
  LOAD(getisnull, "PQgetisnull");
  LOAD(clear, "PQclear");
  pq.state = 1;
  return 0;
}

const char *mfa_pq_load_error(void) { return pq.error; }

mfa_pg_conn *mfa_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
  return pq.connectdb_params(keywords, values, expand_dbname);
}
int mfa_PQstatus(const mfa_pg_conn *conn) { return pq.status(conn); }
const char *mfa_PQerrorMessage(const mfa_pg_conn *conn) { return pq.error_message(conn); }
void mfa_PQfinish(mfa_pg_conn *conn) { pq.finish(conn); }

static void drop_notice(void *arg, const char *message) {
  (void)arg;
  (void)message;
}
void mfa_pq_silence_notices(mfa_pg_conn *conn) { pq.set_notice_processor(conn, drop_notice, NULL); }

mfa_pg_result *mfa_PQexec(mfa_pg_conn *conn, const char *query) { return pq.exec(conn, query); }
mfa_pg_result *mfa_PQexecParams(mfa_pg_conn *conn, const char *command, int nParams, const unsigned int *paramTypes,
                                const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                                int resultFormat) {
  return pq.exec_params(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat);
}
int mfa_PQresultStatus(const mfa_pg_result *res) { return pq.result_status(res); }
// PG_DIAG_SQLSTATE is 'C' in libpq-fe.h / postgres_ext.h.
const char *mfa_pq_sqlstate(const mfa_pg_result *res) { return res ? pq.result_error_field(res, 'C') : NULL; }
const char *mfa_PQresultErrorMessage(const mfa_pg_result *res) { return pq.result_error_message(res); }
int mfa_PQntuples(const mfa_pg_result *res) { return pq.ntuples(res); }
int mfa_PQnfields(const mfa_pg_result *res) { return pq.nfields(res); }
const char *mfa_PQgetvalue(const mfa_pg_result *res, int row, int column) { return pq.getvalue(res, row, column); }
int mfa_PQgetlength(const mfa_pg_result *res, int row, int column) { return pq.getlength(res, row, column); }
int mfa_PQgetisnull(const mfa_pg_result *res, int row, int column) { return pq.getisnull(res, row, column); }
void mfa_PQclear(mfa_pg_result *res) {
  if (res) pq.clear(res);
}
