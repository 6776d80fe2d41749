import Accounts
import ArgumentParser
import Vault

struct RecoveryGenerate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Make a new set of recovery codes (voids the old set) and show them once.",
    discussion: """
      Codes are 10 characters of Crockford base32, shown as XXXXX-XXXXX; only keyed hashes \
      are stored. --output FILE writes a printable sheet instead of printing the codes \
      (created mode 0600; never overwrites an existing file, exit 73).
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Option(help: "How many codes (1-100).") var count: Int = RecoveryCodes.defaultCount
  @Option(
    help: ArgumentHelp("Write a printable sheet to this new file instead of printing the codes.", valueName: "file"),
    completion: .file())
  var output: String?

  func validate() throws {
    try checkUserName(user)
    guard (1...RecoveryCodes.maxCount).contains(count) else {
      throw ValidationError("--count must be 1 to \(RecoveryCodes.maxCount)")
    }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      if let f = output, FileIO.exists(f) {
        throw CLIError(
          "\(f) already exists", code: Exit.cannotCreate, hint: "choose another file name; mfactl never overwrites")
      }
      let store = try ctx.openStore(write: true)
      // The sheet first (exclusive), the vault last: a failed write leaves neither.
      // Shown (and flushed) before the commit: if nobody can read the new codes, the
      // old set stays valid (ARCHITECTURE.md, Rules, "Fail closed").
      var wroteSheet = false
      do {
        _ = try GenerateRecoveryCodes.run(store, GenerateRecoveryCodes.Input(user: user, count: count)) { r in
          try show(r, ctx: ctx, now: store.now, wroteSheet: &wroteSheet)
        }
      } catch {
        if wroteSheet, let f = output { unlinkFile(f) }  // only a sheet this command wrote
        throw error
      }
    }
  }
}

extension RecoveryGenerate {
  /// Writes the sheet (with --output) and prints the codes or where they went.
  func show(_ r: GenerateRecoveryCodes.Result, ctx: Context, now: Int64, wroteSheet: inout Bool) throws {
    let (u, codes, replaced) = (r.user, r.codes, r.replaced)
    if let f = output {
      let issuer = u.authenticators.first?.issuer ?? Host.name
      var sheet = "mfactl recovery codes\n\nuser:    \(u.name)\nissuer:  \(issuer)\ncreated: \(Time.rfc3339(now))\n\n"
      for (i, c) in codes.enumerated() { sheet += "  \(i + 1 < 10 ? " " : "")\(i + 1). \(c)\n" }
      sheet += """

        Each code works once, in place of a code from the authenticator app
        (for example: mfactl verify \(u.name) --allow-recovery). Generating a new set
        voids these codes. Keep this sheet somewhere safe, away from the device.

        """
      try FileIO.createExclusive(f, contents: Array(sheet.utf8))
      wroteSheet = true
    }
    let p = ctx.printer
    if options.json {
      p.json(
        .object([
          ("user", .string(u.name)), ("count", .int(Int64(codes.count))),
          ("codes", output == nil ? .array(codes.map { .string($0) }) : .null), ("output", .str(output)),
        ]))
    } else if let f = output {
      p.line(
        "wrote \(codes.count) recovery codes for \(u.name) to \(f)\(replaced ? " (the previous set no longer works)" : "")"
      )
    } else {
      p.line("recovery codes for \(u.name), shown only now\(replaced ? " (the previous set no longer works)" : ""):")
      for c in codes { p.essential(c) }
    }
    try p.flush()
  }
}
