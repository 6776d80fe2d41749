import Accounts
import ArgumentParser
import OTP
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

struct UsersImportURIs: ParsableCommand {
  /// Limits of the input (docs/security.md, "Standard input and files read"): 16 MiB in
  /// all, about 100,000 users, and 8 KiB a line, room for the longest URI mfactl writes
  /// (a 1024-byte secret and a percent-encoded 256-byte issuer and label). Past either: 65.
  static let maxTotalBytes = 16 << 20
  static let maxLineBytes = 8 << 10

  static let configuration = CommandConfiguration(
    commandName: "uris",
    abstract: "Import otpauth URIs, one per line: 'USER<TAB>URI', or a bare URI whose account label is the user.",
    discussion: """
      A user who does not exist is created; one who does gets the authenticator added, like \
      enrol (a user may hold several; several lines may name one user). All or nothing: any \
      malformed line or a secret given twice for one user (exit 65), invalid user name (64), \
      or a secret the user already holds (73) aborts the import, naming the line number, and \
      the vault is unchanged. \
      Imported authenticators are active at once (their secrets are already in the users' apps). \
      Blank lines and lines starting with '#' are skipped. Reads stdin when FILE is absent or '-'. \
      At most 16 MiB and 8 KiB a line (exit 65 past either, naming the line); FILE must be a \
      regular file. \
      Imports of 1,000 users or more show a progress line on stderr when it is a terminal.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "File of URIs (default: stdin).", completion: .file()) var file: String?

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      var fd: Int32 = 0
      var name = "stdin"
      if let f = file, f != "-" {
        do { fd = try FileIO.openRegularFile(f) } catch VaultError.notFound {
          throw CLIError("file not found: \(f)", code: Exit.notFound)
        }
        name = f
      }
      defer { if fd != 0 { close(fd) } }
      // Streamed within limits (docs/security.md, "Standard input and files read").
      var reader = BoundedLineReader(
        fd: fd, name: name, maxLineBytes: Self.maxLineBytes, maxTotalBytes: Self.maxTotalBytes,
        purpose: "users import uris")
      defer { reader.wipe() }

      // Parse everything before touching the vault.
      var entries: [(line: Int, user: String, uri: OTPAuthURI)] = []
      var seen: [String: [Int]] = [:]  // user -> indices into entries
      while var rawLine = try reader.next() {
        defer { Sodium.wipe(&rawLine) }
        let lineNumber = reader.lineNumber
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
        // One user may get several authenticators, but not one secret twice.
        if let same = seen[name]?.first(where: { Sodium.constantTimeEqual(entries[$0].uri.secret, uri.secret) }) {
          throw CLIError(
            "line \(lineNumber): user \(name) appears twice with the same secret (line \(entries[same].line))",
            code: Exit.dataError)
        }
        seen[name, default: []].append(entries.count)
        entries.append((lineNumber, name, uri))
      }

      let store = try ctx.openStore(write: true, stdinFree: file != nil && file != "-")
      // A progress line for big imports, only on a terminal (scripts get none).
      let progress = isatty(2) == 1 && !options.common.quiet && entries.count >= 1000
      let result: ImportURIs.Result
      do {
        result = try ImportURIs.run(store, entries.map { ImportURIs.Entry(line: $0.line, user: $0.user, uri: $0.uri) })
        { done in
          guard progress else { return }
          if done == entries.count {
            Terminal.stderr("\rimporting: writing \(entries.count) users to the vault\n")
          } else if done % 1000 == 0 {
            Terminal.stderr("\rimporting: \(done) of \(entries.count) users")
          }
        }
      } catch ImportError.secretHeld(let line, let name, let id) {
        throw CLIError(
          "line \(line ?? 0): \(name) already holds this secret (authenticator \(id))", code: Exit.cannotCreate,
          hint: "nothing was imported; remove that line")
      } catch ImportError.badEntry(let line, let e) {
        let c = Report.classify(e)
        throw CLIError("line \(line): \(c.message)", code: c.code, hint: c.hint)
      }
      let created = result.created
      let toExisting = result.addedToExisting
      if options.json {
        ctx.printer.json(.object([("imported", .int(Int64(entries.count)))]))
      } else {
        let n = entries.count
        if created == n {
          ctx.printer.line("imported \(n) user\(n == 1 ? "" : "s")")
        } else {
          ctx.printer.line(
            "imported \(n) authenticator\(n == 1 ? "" : "s") (\(created) new user\(created == 1 ? "" : "s"); "
              + "\(toExisting) added to existing users)")
        }
      }
    }
  }
}
