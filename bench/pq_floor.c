/* The least a libpq client pays for one verify's worth of database work, for
 * bench/pg.sh: load libpq (dlopen, as mfactl does), connect with the URI in argv[1],
 * run the statements a verify sends (begin and lock the vault row, read two rows,
 * write and commit), disconnect. No crypto, no Swift: the floor under mfactl's
 * PostgreSQL verify. Exits 0 when every statement succeeded. */
#include <dlfcn.h>
#include <stdio.h>

typedef void *(*connectdb_fn)(const char *);
typedef int (*status_fn)(const void *);
typedef void *(*exec_fn)(void *, const char *);
typedef int (*result_status_fn)(const void *);
typedef void (*void_fn)(void *);

int main(int argc, char **argv) {
  if (argc != 2) return 64;
  void *pq = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!pq) return 69;
  connectdb_fn connectdb = (connectdb_fn)dlsym(pq, "PQconnectdb");
  status_fn status = (status_fn)dlsym(pq, "PQstatus");
  exec_fn exec = (exec_fn)dlsym(pq, "PQexec");
  result_status_fn result_status = (result_status_fn)dlsym(pq, "PQresultStatus");
  void_fn clear = (void_fn)dlsym(pq, "PQclear"), finish = (void_fn)dlsym(pq, "PQfinish");
  void *conn = connectdb(argv[1]);
  if (status(conn) != 0) return 69;
  const char *statements[] = {
      "BEGIN; SELECT header FROM mfactl.vault WHERE id = 1 FOR UPDATE",
      "SELECT sealed FROM mfactl.records ORDER BY id LIMIT 1 FOR UPDATE",
      "SELECT sealed FROM mfactl.records ORDER BY id DESC LIMIT 1 FOR UPDATE",
      "UPDATE mfactl.vault SET key_id = key_id WHERE id = 1; COMMIT",
  };
  for (int i = 0; i < 4; i++) {
    void *r = exec(conn, statements[i]);
    int s = result_status(r);
    clear(r);
    if (s != 1 && s != 2) return 1; /* PGRES_COMMAND_OK, PGRES_TUPLES_OK */
  }
  finish(conn);
  return 0;
}
