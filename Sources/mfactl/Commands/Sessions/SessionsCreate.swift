import Accounts
import ArgumentParser

struct SessionsCreate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Create a session for a user: prints a session token once (mfas_...).",
    discussion: """
      Default lifetime 24 h with a 30 min idle timeout (refreshed by 'sessions check'); \
      --remember: 30 days and no idle timeout unless --idle is given. At most 5 live \
      sessions per user: the oldest is revoked when a 6th is created.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Option(help: "Lifetime: 90s, 30m, 24h, 30d (default 24h; 30d with --remember).") var ttl: String?
  @Option(help: "Idle timeout: 90s, 30m, 24h (default 30m; none with --remember).") var idle: String?
  @Flag(help: "Long-lived: 30 days, no idle timeout unless --idle.") var remember = false

  func validate() throws {
    try checkUserName(user)
    _ = try parseDuration(ttl, option: "--ttl")
    _ = try parseDuration(idle, option: "--idle")
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let request = SessionRequest(
        ttl: try parseDuration(ttl, option: "--ttl"), idle: try parseDuration(idle, option: "--idle"),
        remember: remember)
      let store = try ctx.openStore(write: true)
      // The token is shown (and flushed) before the commit: a token nobody could read
      // is never stored (ARCHITECTURE.md, Rules, "Fail closed").
      _ = try CreateSession.run(store, CreateSession.Input(user: user, session: request)) { r in
        let s = r.created
        try printToken(
          ctx, token: s.token,
          description:
            "session \(s.session.id) for \(r.user.name) until \(Time.rfc3339(s.session.expiresAt)); the token is shown only now:",
          json: ObjectJSON.session(s.session, user: r.user.name))
      }
    }
  }
}
