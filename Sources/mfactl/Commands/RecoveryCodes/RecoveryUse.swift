import Accounts
import ArgumentParser

struct RecoveryUse: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "use",
    abstract: "Use up one recovery code: exit 0 accepted, 1 rejected, 2 locked out.",
    discussion:
      "CODE is read from stdin when absent or '-'. Input ignores case, spaces and hyphens, and reads O as 0 and I or L as 1. Failures count towards the lockout."
  )
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "The recovery code (default: read from stdin).") var code: String?
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let input = try Terminal.secretArgument(code, prompt: "Recovery code", echo: false)
      let store = try ctx.openStore(write: true, stdinFree: code != nil && code != "-")
      let used = try UseRecoveryCode.run(store, UseRecoveryCode.Input(user: user, code: input))
      let u = used.user
      let result = used.outcome
      switch result {
      case .accepted(let remaining):
        reportRemaining(ctx, user: u.name, remaining: remaining)
      case .rejected, .noCodes, .malformed:
        var why = result == .noCodes ? " (the user has no recovery codes left)" : ""
        if case .malformed = result { why = ": malformed (expected 10 characters like XXXXX-XXXXX)" }
        Terminal.stderr("mfactl: recovery code rejected for \(u.name)\(why)\n")
        throw ExitCode(Exit.rejected)
      case .locked(let until):
        Report.error(
          "\(u.name) is locked out until \(Time.rfc3339(until)) after \(u.failures) failed attempts",
          hint: "mfactl users unlock \(u.name)")
        throw ExitCode(Exit.locked)
      case .disabled:
        Report.error("\(u.name) is disabled", hint: "mfactl users enable \(u.name)")
        throw ExitCode(Exit.rejected)
      }
    }
  }
}

/// "accepted; N left", and a prominent warning on stderr when 2 or fewer remain.
func reportRemaining(_ ctx: Context, user: String, remaining: Int) {
  if ctx.options.json {
    ctx.printer.json(
      .object([
        ("user", .string(user)), ("result", .string("accepted")), ("method", .string("recovery")),
        ("remaining", .int(Int64(remaining))),
      ]))
  } else {
    ctx.printer.line("accepted; \(remaining) recovery code\(remaining == 1 ? "" : "s") left")
  }
  if remaining <= 2 {
    Report.warning(
      "\(user) has only \(remaining) recovery code\(remaining == 1 ? "" : "s") left; make a new set: mfactl recovery-codes generate \(user)"
    )
  }
}
