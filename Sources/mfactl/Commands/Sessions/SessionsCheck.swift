import Accounts
import ArgumentParser

struct SessionsCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a session token: exit 0 and print the user, else exit 1.",
    discussion:
      "TOKEN is read from stdin when absent or '-'. A successful check is not audited; it refreshes the idle timeout, writing the vault at most once a minute per session."
  )
  @OptionGroup var options: GlobalOptions
  @Argument(help: "The session token (default: read from stdin).") var token: String?

  /// A call that passed every rule (there are none but the global options'); made by
  /// `input`, the same for ArgumentParser and the fast path.
  struct Input: Equatable {
    var settings: Settings
    var token: String?
  }

  static func input(token: String?, settings: Settings) throws -> Input {
    try settings.validate()
    return Input(settings: settings, token: token)
  }

  func run() throws {
    try reporting { try Self.execute(Self.input(token: token, settings: options.settings)) }
  }

  /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
  static func execute(_ call: Input) throws {
    let ctx = Context(settings: call.settings)
    let token = call.token
    let options = ctx.options
    do {
      let input = try Terminal.secretArgument(token, prompt: "Session token", echo: false).trimmingSpaces
      func reject() throws -> Never {
        Terminal.stderr("mfactl: unknown or expired session\n")
        throw ExitCode(Exit.rejected)
      }
      guard Token.isWellFormed(input, .session) else { try reject() }
      // A read (shared lock); TokenChecks writes only to refresh the idle time (at most
      // once a minute) or to audit a rejection.
      let store = try ctx.openStore(write: false, stdinFree: token != nil && token != "-")
      guard let (u, s) = try TokenChecks.session(input, in: store) else { try reject() }
      if options.json {
        ctx.printer.json(.object(ObjectJSON.session(s, user: u.name)))
      } else {
        ctx.printer.essential(u.name)
      }
    }
  }
}
