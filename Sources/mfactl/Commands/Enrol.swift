import Accounts
import ArgumentParser
import OTP
import QR
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

enum QRMode: String, CaseIterable, ExpressibleByArgument {
  case utf8, ansi, none
}

extension OTPType: ExpressibleByArgument {}
extension OTPAlgorithm: ExpressibleByArgument {
  public init?(argument: String) { self.init(name: argument) }
}

extension MFACtl {
  struct Enrol: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add an authenticator for a user (created if new), or confirm a pending one.",
      discussion: """
        Prints the otpauth URI on its own line, the secret grouped for typing, and a QR code \
        (on a terminal). The authenticator stays pending until 'mfactl enrol USER --confirm CODE' \
        accepts a first code from it, unless --activate is given. With --confirm, CODE is read \
        from stdin when absent or '-'. 'enroll' (US spelling) is the same command.
        """,
      aliases: ["enroll"])

    @OptionGroup var options: GlobalOptions

    @Argument(help: "User name: 1-64 of A-Z a-z 0-9 . _ @ + - (not starting with '-').", completion: .userNames)
    var user: String

    @Flag(help: "Confirm the pending authenticator with a code from it.")
    var confirm = false

    @Argument(help: "With --confirm: the code (default: read from stdin).")
    var code: String?

    @Option(help: "totp or hotp (default: totp, or the --uri's type).")
    var type: OTPType?

    @Option(help: "SHA1, SHA256 or SHA512 (default: SHA1, or the --uri's).")
    var algorithm: OTPAlgorithm?

    @Option(help: "Code length: 6 or 8 (default: 6, or the --uri's).")
    var digits: Int?

    @Option(help: "TOTP step in seconds (default: 30, or the --uri's).")
    var period: UInt32?

    @Option(help: ArgumentHelp("Issuer shown in the authenticator app (default: this host's name).", valueName: "name"))
    var issuer: String?

    @Option(help: ArgumentHelp("Account label shown in the app (default: the user name).", valueName: "name"))
    var label: String?

    @Option(
      help: """
        QR code on the terminal: ansi (black on white, scans on any theme), utf8 (no colours, drawn for a dark \
        background) or none (default on a terminal: ansi, or utf8 when NO_COLOR is set; else none).
        """)
    var qr: QRMode?

    @Option(
      name: .customLong("qr-png"),
      help: ArgumentHelp(
        "Also write the QR code as a PNG file: it holds the secret, so it is created mode 0600 and never overwrites.",
        valueName: "file"), completion: .file(extensions: ["png"]))
    var qrPNG: String?

    @Option(
      name: .customLong("qr-svg"),
      help: ArgumentHelp(
        "Also write the QR code as an SVG file (mode 0600, never overwrites; it holds the secret).", valueName: "file"),
      completion: .file(extensions: ["svg"]))
    var qrSVG: String?

    @Option(name: .customLong("qr-scale"), help: "PNG pixels per module.")
    var qrScale: Int = 8

    @Option(
      help: ArgumentHelp(
        "Use this base32 secret instead of a random one ('-': read it from stdin).", valueName: "base32"))
    var secret: String?

    @Option(help: ArgumentHelp("Import an otpauth:// URI ('-': read it from stdin).", valueName: "otpauth-uri"))
    var uri: String?

    @Flag(help: "Make the authenticator active at once, without confirmation.")
    var activate = false

    @Option(
      name: .customLong("id"),
      help: ArgumentHelp("With --confirm: the pending authenticator to confirm.", valueName: "id"))
    var authenticatorID: String?

    func validate() throws {
      try checkUserName(user)
      if secret != nil && uri != nil { throw ValidationError("give --secret or --uri, not both") }
      if !confirm && code != nil { throw ValidationError("a code argument is only taken with --confirm") }
      if confirm && (secret != nil || uri != nil || activate || type != nil || algorithm != nil) {
        throw ValidationError("--confirm takes only a code (and --id)")
      }
      if let d = digits, d != 6 && d != 8 { throw ValidationError("--digits must be 6 or 8") }
      if let p = period, p < 1 || p > 86400 { throw ValidationError("--period must be 1 to 86400 seconds") }
      if !QRRenderer.pngScaleRange.contains(qrScale) { throw ValidationError("--qr-scale must be 1 to 64") }
    }

    func run() throws {
      try reporting {
        if confirm { try runConfirm() } else { try runEnrol() }
      }
    }

    func runConfirm() throws {
      let ctx = Context(options: options)
      let input = try Terminal.secretArgument(code, prompt: "Code")
      let store = try ctx.openStore(write: true, stdinFree: code != nil && code != "-")
      let outcome = try ConfirmAuthenticator.run(
        store, ConfirmAuthenticator.Input(user: user, code: input, authenticatorID: authenticatorID))
      try reportSignIn(outcome, ctx: ctx, now: store.now) { method in
        guard case .authenticator(let id, _) = method else { return "accepted" }
        return "confirmed authenticator \(id) for \(user): it is active now"
      }
    }

    func runEnrol() throws {
      let ctx = Context(options: options)
      // Secrets from stdin are read before the vault is opened (the passphrase prompt
      // would compete for the same input otherwise).
      var imported: OTPAuthURI? = nil
      var secretBytes: [UInt8]? = nil
      if let u = uri {
        let text = try Terminal.secretArgument(u, prompt: "otpauth URI")
        imported = try OTPAuthURI(parsing: text.trimmingSpaces)
      } else if let s = secret {
        let text = try Terminal.secretArgument(s, prompt: "Secret (base32)")
        secretBytes = try Base32.decode(text)
      }
      defer { if secretBytes != nil { Sodium.wipe(&secretBytes!) } }
      let readsStdin = (uri == "-" || secret == "-")

      let type = self.type ?? imported?.type ?? .totp
      let algorithm = self.algorithm ?? imported?.algorithm ?? .sha1
      let digits = self.digits ?? imported?.digits ?? 6
      let period = self.period ?? imported?.period ?? Enrolment.defaultPeriod
      let issuer = self.issuer ?? imported?.issuer ?? Host.name
      let label = self.label ?? (imported.map { $0.account == user ? nil : $0.account } ?? nil)

      let store = try ctx.openStore(write: true, stdinFree: !readsStdin)
      let input = StartEnrolment.Input(
        user: user, type: type, algorithm: algorithm, digits: digits, period: period, issuer: issuer, label: label,
        secret: imported?.secret ?? secretBytes, counter: imported?.counter ?? 0, activate: activate)
      // Output files and stdout first (files exclusive, 0600: they hold the secret), the
      // vault last: if any write or the commit fails the files are removed and nothing
      // is stored, so no authenticator exists whose secret nobody saw (ARCHITECTURE.md,
      // Rules, "Fail closed").
      var written: [String] = []
      do {
        _ = try StartEnrolment.run(store, input) { r in
          let auth = r.authenticator
          let otpURI = OTPAuthURI(
            type: auth.type, secret: auth.secret, issuer: auth.issuer, account: auth.label ?? user,
            algorithm: auth.algorithm, digits: auth.digits, period: auth.period, counter: auth.counter)
          let uriText = otpURI.uriString
          let symbol = try QRSymbol(encoding: uriText)
          if let png = qrPNG {
            try FileIO.createExclusive(png, contents: try QRRenderer.png(symbol, scale: qrScale))
            written.append(png)
          }
          if let svg = qrSVG {
            try FileIO.createExclusive(svg, contents: Array(QRRenderer.svg(symbol).utf8))
            written.append(svg)
          }
          show(ctx, auth: auth, uriText: uriText, symbol: symbol, written: written)
          try ctx.printer.flush()
        }
      } catch {
        for f in written { unlink(f) }
        if case VaultError.alreadyExists(let p) = error {
          throw CLIError(
            "\(p) already exists", code: Exit.cannotCreate, hint: "choose another file name; mfactl never overwrites")
        }
        throw error
      }
    }

    /// Prints the new authenticator: its URI (and secret, QR) as text, or one JSON object.
    private func show(_ ctx: Context, auth: Authenticator, uriText: String, symbol: QRSymbol, written: [String]) {
      let encoded = Base32.encode(auth.secret)
      if options.json {
        // The authenticator object, then what only enrolment shows.
        ctx.printer.json(
          .object(
            ObjectJSON.authenticator(auth, user: user) + [
              ("uri", .string(uriText)), ("secret", .string(encoded)), ("qr_png", .str(qrPNG)), ("qr_svg", .str(qrSVG)),
            ]))
        return
      }
      // On a terminal: explicit colours, which scan whatever the theme; NO_COLOR leaves
      // only the theme's own two colours, and the utf8 form is drawn for the common
      // dark background (docs/terminal-qr.md).
      let mode = qr ?? (Terminal.stdoutIsTerminal ? (Terminal.noColor ? .utf8 : .ansi) : .none)
      let p = ctx.printer
      p.line(
        "enrolled authenticator \(auth.id) for \(user) (\(auth.type.rawValue.uppercased()), \(auth.algorithm.rawValue), "
          + "\(auth.digits) digits\(auth.type == .totp ? ", \(auth.period) s" : ""))\(activate ? "" : ", pending confirmation")"
      )
      p.essential(uriText)
      p.line("secret: \(Base32.grouped(encoded))")
      if mode != .none, let columns = Terminal.columns, QRRenderer.terminalWidth(symbol) > columns {
        // A wrapped code does not scan: better none and a way out.
        Report.warning(
          "QR code not drawn: it needs \(QRRenderer.terminalWidth(symbol)) columns and the terminal has \(columns)",
          hint: "write it with --qr-png FILE or --qr-svg FILE, widen the terminal, or use a shorter --issuer or --label"
        )
      } else {
        switch mode {
        case .utf8: Terminal.stdout(QRRenderer.utf8(symbol))
        case .ansi: Terminal.stdout(QRRenderer.ansi(symbol))
        case .none: break
        }
        if qr == nil && mode == .utf8 {
          p.line("(NO_COLOR: QR code drawn for a dark background; on a light one use --qr ansi or --qr-png FILE)")
        }
      }
      for f in written { p.line("QR code written to \(f)") }
      if !activate { p.line("next: scan it, then run: mfactl enrol \(user) --confirm CODE") }
    }
  }
}

enum Host {
  static var name: String {
    var buf = [CChar](repeating: 0, count: 256)
    guard gethostname(&buf, 255) == 0 else { return "mfactl" }
    let s = String(cString: buf)
    return s.isEmpty ? "mfactl" : s.replacingColons
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
    return String(s)
  }

  /// Issuers may not contain ':' (the Key Uri Format's separator).
  var replacingColons: String { String(map { $0 == ":" ? "-" : $0 }) }
}
