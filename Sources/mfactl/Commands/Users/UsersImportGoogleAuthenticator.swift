import Accounts
import ArgumentParser
import OTP
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

struct UsersImportGoogleAuthenticator: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "google-authenticator",
    abstract: "Import a google-authenticator-libpam secret file (~/.google_authenticator) for a user.",
    discussion: """
      The secret becomes an active authenticator (TOTP with STEP_SIZE as its period, or HOTP \
      at HOTP_COUNTER), 6 digits, SHA1. DISALLOW_REUSE steps become the replay guard, so codes \
      already used cannot be used again; TIME_SKEW becomes the remembered clock drift (at most \
      40 steps). Scratch codes become the user's recovery codes, replacing any set the user had: \
      a scratch code is typed as it was (12345678) or as recovery code 00123-45678. \
      WINDOW_SIZE and RATE_LIMIT are recorded in the audit event but not applied (mfactl accepts \
      the current step +/-1 and has its own lockout). A new user is created; an existing user \
      gets the authenticator added, like enrol, unless it already holds one with the same secret \
      (exit 73). A malformed file exits 65 naming the line; nothing is changed. Reads stdin when \
      FILE is '-'.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: ArgumentHelp("The secret file ('-': stdin).", valueName: "file"), completion: .file()) var file:
    String
  @Option(help: "User name: 1-64 of A-Z a-z 0-9 . _ @ + - (not starting with '-').") var user: String
  @Option(help: ArgumentHelp("Issuer shown in authenticator apps (default: this host's name).", valueName: "name"))
  var issuer: String?

  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      var bytes: [UInt8]
      if file == "-" {
        bytes = try Self.readStdin(limit: GoogleAuthenticatorFile.maxFileSize)
      } else {
        do { bytes = try FileIO.readSmallFile(file, limit: GoogleAuthenticatorFile.maxFileSize) } catch VaultError
          .notFound
        {
          throw CLIError("file not found: \(file)", code: Exit.notFound)
        } catch VaultError.invalid(let m) {
          throw CLIError(m, code: Exit.dataError)
        }
      }
      defer { Sodium.wipe(&bytes) }
      var parsed: GoogleAuthenticatorFile
      do { parsed = try GoogleAuthenticatorFile(parsing: bytes) } catch let e as GoogleAuthenticatorFile.ParseError {
        throw CLIError(
          "\(file == "-" ? "stdin" : file): \(e.description)", code: Exit.dataError, hint: "nothing was imported")
      }
      defer { Sodium.wipe(&parsed.secret) }
      if let i = issuer {
        guard !i.contains(":") else { throw CLIError("--issuer must not contain ':'", code: Exit.usage) }
      }

      let store = try ctx.openStore(write: true, stdinFree: file != "-")
      let r: ImportGoogleAuthenticator.Result
      do {
        r = try ImportGoogleAuthenticator.run(
          store, ImportGoogleAuthenticator.Input(user: user, file: parsed, issuer: issuer ?? Host.name))
      } catch ImportError.secretHeld(_, let name, let id) {
        throw CLIError(
          "\(name) already holds this secret (authenticator \(id))", code: Exit.cannotCreate,
          hint: "nothing was imported; remove that authenticator first to import the file again")
      }
      let (auth, replaced, existed) = (r.authenticator, r.recoveryReplaced, !r.userCreated)

      let ignored = [
        parsed.windowSize.map { "WINDOW_SIZE \($0)" },
        parsed.rateLimit.map { "RATE_LIMIT \($0.attempts) \($0.seconds)" },
      ]
      .compactMap { $0 }
      if options.json {
        ctx.printer.json(
          .object(
            ObjectJSON.authenticator(auth, user: user) + [
              ("last_step", .num(auth.lastStep)), ("recovery_codes_imported", .int(Int64(parsed.scratchCodes.count))),
              ("recovery_replaced", .bool(replaced)), ("not_applied", .array(ignored.map { .string($0) })),
              ("user_created", .bool(!existed)),
            ]))
        return
      }
      let p = ctx.printer
      p.line(
        "imported authenticator \(auth.id) for \(user) (\(auth.type == .totp ? "TOTP, \(auth.period) s" : "HOTP, next counter \(auth.counter)"), active)"
          + (existed ? "; \(user) already existed, the authenticator was added" : ""))
      if let l = auth.lastStep { p.line("codes up to step \(l) are refused as used (DISALLOW_REUSE)") }
      if auth.drift != 0 || (parsed.timeSkew ?? 0) != 0 {
        p.line("clock drift: \(auth.drift) steps (TIME_SKEW \(parsed.timeSkew ?? 0))")
      }
      if !parsed.scratchCodes.isEmpty {
        p.line(
          "\(parsed.scratchCodes.count == 1 ? "1 scratch code is now a recovery code" : "\(parsed.scratchCodes.count) scratch codes are now recovery codes"): "
            + "type \(parsed.scratchCodes.count == 1 ? "it" : "them") as before"
            + (replaced ? " (the previous recovery codes no longer work)" : ""))
      }
      if !ignored.isEmpty {
        p.line(
          "not applied: \(ignored.joined(separator: ", ")) (mfactl accepts the current step ±1 and has its own lockout)"
        )
      }
    }
  }

  static func readStdin(limit: Int) throws -> [UInt8] {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    defer { Sodium.wipe(&buf) }
    while true {
      let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, 4096) }
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot read standard input", code: Exit.ioError)
      }
      if n == 0 { break }
      out.append(contentsOf: buf[0..<n])
      if out.count > limit {
        Sodium.wipe(&out)
        throw CLIError("stdin: more than \(limit) bytes: not a google-authenticator secret file", code: Exit.dataError)
      }
    }
    return out
  }
}
