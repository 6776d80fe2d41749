import Accounts
import ArgumentParser

extension MFACtl {
  struct SessionsGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sessions",
      abstract: "Login sessions: a token a web app or script keeps after a successful verify.",
      subcommands: [SessionsCreate.self, SessionsCheck.self, SessionsList.self, SessionsRevoke.self])
  }
}

/// Creates a session for `user` (shared by `sessions create` and `verify --session`):
/// indexes it for `sessions check`, records evictions.
func createSession(
  _ store: AccountStore, _ u: inout User, ttl: Int64?, idle: Int64?, remember: Bool, deviceName: String? = nil
) throws -> (token: String, session: Session) {
  try store.pruneExpired(&u)  // so dead sessions also leave the token index
  let r = try Sessions.create(
    &u, key: try store.tokenKey(), now: store.now, ttl: ttl, idle: idle, remember: remember, ip: store.actor.ip,
    userAgent: store.actor.userAgent, deviceName: deviceName)
  store.unindexSessions(r.evicted)
  for s in r.evicted {
    store.record(AccountEvent("session.evicted", user: u, detail: ["session": s.id, "reason": "more than \(Sessions.maxLive) sessions"]))
  }
  store.indexSessions([r.session], of: u)
  return (r.token, r.session)
}
