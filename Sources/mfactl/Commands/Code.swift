import Accounts
import ArgumentParser
import OTP
import Sodium

extension MFACtl {
  struct Code: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the current code of a user's authenticator, or of a secret or URI.",
      discussion: """
        For a user, the first active authenticator (or --id) is used and nothing is changed \
        but the audit log (the secret was read): a HOTP code is the one for the next unused \
        counter. --secret - and --uri - read the \
        value from stdin, keeping it out of the process list.
        """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "User name.", completion: .userNames)
    var user: String?

    @Option(help: ArgumentHelp("Base32 secret ('-': read from stdin).", valueName: "base32"))
    var secret: String?

    @Option(help: ArgumentHelp("otpauth:// URI ('-': read from stdin).", valueName: "otpauth-uri"))
    var uri: String?

    @Option(help: "With --secret: SHA1, SHA256 or SHA512 (default SHA1).")
    var algorithm: OTPAlgorithm?

    @Option(help: "With --secret: 6 or 8 (default 6).")
    var digits: Int?

    @Option(help: "With --secret: TOTP step in seconds (default 30).")
    var period: UInt32?

    @Option(help: "With --secret: a HOTP counter instead of TOTP.")
    var counter: UInt64?

    @Option(name: .customLong("id"), help: ArgumentHelp("With USER: which authenticator.", valueName: "id"))
    var authenticatorID: String?

    func validate() throws {
      let given = [user != nil, secret != nil, uri != nil].filter { $0 }.count
      guard given == 1 else { throw ValidationError("give exactly one of USER, --secret or --uri") }
      if let u = user { try checkUserName(u) }
      if secret == nil && (algorithm != nil || digits != nil || period != nil || counter != nil) {
        throw ValidationError(
          "--algorithm, --digits, --period and --counter go with --secret (a user or URI has its own)")
      }
      if let d = digits, d != 6 && d != 8 { throw ValidationError("--digits must be 6 or 8") }
      if let p = period, p < 1 || p > 86400 { throw ValidationError("--period must be 1 to 86400 seconds") }
      if let c = counter, c > HOTP.maxCounter { throw ValidationError("--counter must be 0 to \(HOTP.maxCounter)") }
      if authenticatorID != nil && user == nil { throw ValidationError("--id goes with USER") }
    }

    func run() throws {
      try reporting {
        let ctx = Context(options: options)
        let now = ctx.now
        var type = OTPType.totp
        var algorithm = self.algorithm ?? .sha1
        var digits = self.digits ?? 6
        var period = self.period ?? 30
        var counter: UInt64 = counter ?? 0
        var key: [UInt8]
        var authID: String? = nil
        if let s = secret {
          key = try Base32.decode(try Terminal.secretArgument(s, prompt: "Secret (base32)"))
          if self.counter != nil { type = .hotp }
        } else if let u = uri {
          let parsed = try OTPAuthURI(parsing: try Terminal.secretArgument(u, prompt: "otpauth URI").trimmingSpaces)
          (type, algorithm, digits, period, counter, key) =
            (parsed.type, parsed.algorithm, parsed.digits, parsed.period, parsed.counter, parsed.secret)
        } else {
          // Reading a secret is audited, so this takes the write lock; the code is shown
          // only once that is recorded.
          let read = try RevealSecrets.run(
            try ctx.openStore(write: true),
            RevealSecrets.Input(user: user!, authenticatorID: authenticatorID, purpose: .showCode)
          ) { _ in }
          let auth = read.outcome[0]
          (type, algorithm, digits, period, counter, key, authID) =
            (auth.type, auth.algorithm, auth.digits, auth.period, auth.counter, auth.secret, auth.id)
        }
        defer { Sodium.wipe(&key) }
        let code: String
        var remaining: Int64? = nil
        switch type {
        case .totp:
          code = TOTP.code(secret: key, at: now, period: period, algorithm: algorithm, digits: digits)
          let p = Int64(period)
          remaining = p - ((now % p) + p) % p
        case .hotp:
          code = HOTP.code(secret: key, counter: counter, algorithm: algorithm, digits: digits)
        }
        if options.json {
          ctx.printer.json(
            .object([
              ("code", .string(code)), ("type", .string(type.rawValue)), ("authenticator", .str(authID)),
              ("valid_for_s", .num(remaining)), ("counter", type == .hotp ? .int(Int64(counter)) : .null),
            ]))
        } else {
          ctx.printer.essential(code)
        }
      }
    }
  }
}
