import Accounts
import ArgumentParser

struct SessionsCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a session token: exit 0 and print the user, else exit 1.",
    discussion: "TOKEN is read from stdin when absent or '-'. A successful check refreshes the idle timeout.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "The session token (default: read from stdin).") var token: String?

  func run() throws {
    try reporting { try Self.execute(Context(options: options), token: token) }
  }

  /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
  static func execute(_ ctx: Context, token: String?) throws {
    let options = ctx.options
    do {
      let input = try Terminal.secretArgument(token, prompt: "Session token", echo: false).trimmingSpaces
      func reject() throws -> Never {
        Terminal.stderr("mfactl: unknown or expired session\n")
        throw ExitCode(Exit.rejected)
      }
      guard Token.isWellFormed(input, .session) else { try reject() }
      let store = try ctx.openStore(write: true, stdinFree: token != nil && token != "-")
      let hash = Token.hash(input, key: try store.tokenKey())
      guard var u = try store.userForSession(tokenHash: hash), !u.disabled else { try reject() }
      try store.pruneExpired(&u)  // dead sessions leave the token index too
      guard let s = Sessions.check(&u, tokenHash: hash, now: store.now) else {
        try store.save(u, event: AccountEvent("session.rejected", user: u, outcome: .failure))
        try store.commit()
        try reject()
      }
      try store.save(u, event: AccountEvent("session.checked", user: u, detail: ["session": s.id]))
      try store.commit()
      if options.json {
        ctx.printer.json(.object(ObjectJSON.session(s, user: u.name)))
      } else {
        ctx.printer.essential(u.name)
      }
    }
  }
}
