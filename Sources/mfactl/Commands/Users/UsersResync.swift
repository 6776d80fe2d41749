import Accounts
import ArgumentParser

struct UsersResync: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resync",
    abstract: "Resynchronise an authenticator from two consecutive codes.",
    discussion: """
      HOTP: searches the next 1,000 counters and moves the counter past the second code. \
      TOTP: searches ±1 day of steps and remembers the device's offset. A code argument of \
      '-' (or both absent) reads the codes from stdin, one per line. Exit 1 when no pair matches. \
      A resync is an attempt for the lockout: a failed one counts as a failure, a locked user \
      is refused with exit 2 without its codes being checked, and a success resets the count.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "First code.") var code1: String?
  @Argument(help: "The code after it.") var code2: String?
  @Option(help: ArgumentHelp("Which authenticator (default: the active ones).", valueName: "id")) var authenticator:
    String?
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let first = try Terminal.secretArgument(code1, prompt: "First code")
      let second = try Terminal.secretArgument(code2, prompt: "Next code")
      let usedStdin = code1 == nil || code1 == "-" || code2 == nil || code2 == "-"
      let store = try ctx.openStore(write: true, stdinFree: !usedStdin)
      let r = try ResyncAuthenticator.run(
        store, ResyncAuthenticator.Input(user: user, code1: first, code2: second, authenticatorID: authenticator))
      let (u, id, offset) = (r.user, r.authenticatorID, r.offset)
      if options.json {
        ctx.printer.json(
          .object([("user", .string(u.name)), ("authenticator", .string(id)), ("offset", .int(offset))]))
      } else {
        ctx.printer.line("resynchronised authenticator \(id) of \(u.name) (offset \(offset))")
      }
    }
  }
}
