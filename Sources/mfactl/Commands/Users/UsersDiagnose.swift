import Accounts
import ArgumentParser

struct UsersDiagnose: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diagnose",
    abstract: "Tell how far a device's clock is off: where does this code match?",
    discussion: """
      Searches ±1 day of TOTP steps (HOTP: 100 counters back, 1,000 ahead) of every \
      authenticator. It never accepts the code, counts as a failed attempt for the lockout, \
      and is audited. CODE is read from stdin when absent or '-'. Exit 0 when the code \
      matched somewhere, 1 when it matched nowhere, 2 when the user is locked out.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Argument(help: "A code from the user's device (default: read from stdin).") var code: String?
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let input = try Terminal.secretArgument(code, prompt: "Code")
      let store = try ctx.openStore(write: true, stdinFree: code != nil && code != "-")
      let r = try DiagnoseCode.run(store, DiagnoseCode.Input(user: user, code: input))
      let u = r.user
      switch r.outcome {
      case .noAuthenticator:
        throw AccountsError.noActiveAuthenticator(u.name)  // DiagnoseCode throws it first
      case .malformed(let rule):
        // Counted like every diagnose; a typo matches nowhere (exit 1).
        Terminal.stderr("mfactl: the code matches nothing: malformed (\(rule))\n")
        throw ExitCode(Exit.rejected)
      case .locked(let until):
        Report.error("\(u.name) is locked out until \(Time.rfc3339(until))", hint: "mfactl users unlock \(u.name)")
        throw ExitCode(Exit.locked)
      case .matches(let matches):
        if options.json {
          ctx.printer.json(
            .object([
              ("user", .string(u.name)),
              (
                "matches",
                .array(
                  matches.map { m in
                    .object([
                      ("authenticator", .string(m.authenticatorID)), ("step_offset", .int(m.stepOffset)),
                      ("offset_s", .int(m.seconds)), ("already_used", .bool(m.alreadyUsed)),
                      ("pending", .bool(m.pending)),
                    ])
                  })
              ),
            ]))
        } else if matches.isEmpty {
          ctx.printer.line("the code matches no step within ±1 day (nor any nearby HOTP counter)")
        } else {
          for m in matches {
            var s = "authenticator \(m.authenticatorID): "
            if m.seconds != 0 || m.stepOffset == 0 {
              s +=
                m.stepOffset == 0
                ? "matches the current step (clock in sync)"
                : "device clock is \(abs(m.seconds)) s \(m.seconds > 0 ? "ahead" : "behind") (\(m.stepOffset) steps)"
            } else {
              s += "matches counter offset \(m.stepOffset)"
            }
            if m.alreadyUsed { s += ", already used" }
            if m.pending { s += ", pending" }
            ctx.printer.line(s)
          }
        }
        if matches.isEmpty { throw ExitCode(Exit.rejected) }
      }
    }
  }
}
