import Accounts
import ArgumentParser

extension MFACtl {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a code for a user: exit 0 accepted, 1 rejected, 2 locked out.",
      discussion: """
        CODE is read from stdin (one line) when absent or '-', so it never has to appear in \
        the process list. TOTP accepts the current step ±1 (--window N), centred on the drift \
        remembered from the last success; a step accepted once, and every earlier one, is never \
        accepted again. HOTP accepts the next unused counter and the 10 after it. Every rejection counts towards the \
        lockout (5 failures: 1 min, doubling, up to 1 h).
        """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "User name.")
    var user: String

    @Argument(help: "The code (default: read from stdin).")
    var code: String?

    @Option(help: "TOTP: accept steps within ±N of the centre for this call (default 1, at most 20).")
    var window: Int?

    func validate() throws {
      try checkUserName(user)
      if let w = window, !Self.windowRange.contains(w) {
        throw ValidationError("--window must be 0 to \(Verifier.maxWindow)")
      }
    }

    static let windowRange = 0...Verifier.maxWindow

    func run() throws {
      try reporting { try Self.execute(Context(options: options), user: user, code: code, window: window) }
    }

    /// The whole command after parsing; the fast path (FastPath.swift) calls this too.
    static func execute(_ ctx: Context, user: String, code: String?, window: Int?) throws {
      let input = try Terminal.secretArgument(code, prompt: "Code")
      let store = try ctx.openStore(write: true, stdinFree: code != nil && code != "-")
      var u = try store.user(user)
      let result = try Verifier.verify(&u, code: input, now: store.now, options: VerifyOptions(window: window))
      try finishAttempt(store: store, user: u, result: result, eventPrefix: "verify", ctx: ctx) { _ in
        ctx.printer.line("accepted")
      }
    }
  }
}
