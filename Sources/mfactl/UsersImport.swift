import Accounts
import ArgumentParser
import OTP
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

struct UsersImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import authenticators in bulk.",
    subcommands: [UsersImportURIs.self, UsersImportGoogleAuthenticator.self])
}

struct UsersImportURIs: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "uris",
    abstract: "Import otpauth URIs, one per line: 'USER<TAB>URI', or a bare URI whose account label is the user.",
    discussion: """
      All or nothing: any malformed line (exit 65, naming the line number), invalid user name \
      (64) or user that already exists (73) aborts the import and the vault is unchanged. \
      Imported authenticators are active at once (their secrets are already in the users' apps). \
      Blank lines and lines starting with '#' are skipped. Reads stdin when FILE is absent or '-'. \
      Imports of 1,000 users or more show a progress line on stderr when it is a terminal.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "File of URIs (default: stdin).") var file: String?

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      var bytes: [UInt8]
      if let f = file, f != "-" {
        do { bytes = try FileIO.readSmallFile(f, limit: 1 << 30) } catch VaultError.notFound {
          throw CLIError("file not found: \(f)", code: Exit.notFound)
        }
      } else {
        bytes = try readAllStdin()
      }
      defer { Sodium.wipe(&bytes) }

      // Parse everything before touching the vault.
      var entries: [(user: String, uri: OTPAuthURI)] = []
      var seen = Set<String>()
      var lineNumber = 0
      for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
        lineNumber += 1
        let line = String(decoding: rawLine, as: UTF8.self).trimmingSpaces
        if line.isEmpty || line.hasPrefix("#") { continue }
        var user: String? = nil
        var uriText = line
        if let tab = line.firstIndex(of: "\t") {
          user = String(line[..<tab]).trimmingSpaces
          uriText = String(line[line.index(after: tab)...]).trimmingSpaces
        }
        let uri: OTPAuthURI
        do { uri = try OTPAuthURI(parsing: uriText) } catch let e as OTPError {
          throw CLIError("line \(lineNumber): \(e.description)", code: Exit.dataError)
        }
        let name = user ?? uri.account
        do { try UserName.validate(name) } catch let e as AccountsError {
          throw CLIError("line \(lineNumber): \(e.description)", code: Exit.usage)
        }
        guard seen.insert(name).inserted else {
          throw CLIError("line \(lineNumber): user \(name) appears twice", code: Exit.dataError)
        }
        entries.append((name, uri))
      }

      let store = try ctx.openStore(write: true, stdinFree: file != nil && file != "-")
      let now = store.now
      // A progress line for big imports, only on a terminal (scripts get none).
      let progress = isatty(2) == 1 && !options.quiet && entries.count >= 1000
      for (done, (name, uri)) in entries.enumerated() {
        if progress && done % 1000 == 0 { Terminal.stderr("\rimporting: \(done) of \(entries.count) users") }
        if try store.exists(name) {
          throw CLIError("user already exists: \(name)", code: Exit.cannotCreate, hint: "nothing was imported; remove that line")
        }
        var u = try Enrolment.newUser(name: name, now: now)
        let auth = try Enrolment.newAuthenticator(
          type: uri.type, algorithm: uri.algorithm, digits: uri.digits, period: uri.period, issuer: uri.issuer,
          label: uri.account == name ? nil : uri.account, secret: uri.secret, counter: uri.counter, activate: true,
          existingIDs: [], now: now)
        u.authenticators.append(auth)
        try store.save(u, event: AccountEvent("enrol.imported", user: u, detail: ["authenticator": auth.id, "type": auth.type.rawValue]))
      }
      if progress { Terminal.stderr("\rimporting: writing \(entries.count) users to the vault\n") }
      try store.commit()
      if options.json {
        ctx.printer.json(.object([("imported", .int(Int64(entries.count)))]))
      } else {
        ctx.printer.line("imported \(entries.count) user\(entries.count == 1 ? "" : "s")")
      }
    }
  }

  func readAllStdin() throws -> [UInt8] {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, 65536) }
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot read standard input", code: Exit.ioError)
      }
      if n == 0 { break }
      out.append(contentsOf: buf[0..<n])
    }
    Sodium.wipe(&buf)
    return out
  }
}
