import Accounts
import ArgumentParser
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

/// Argon2id cost for passphrase slots.
enum KDFLevel: String, CaseIterable, ExpressibleByArgument {
  case interactive, moderate, sensitive

  var limits: Sodium.PwhashLimits {
    // Test-only: the suite would spend minutes in Argon2id otherwise. `vault info`
    // shows the parameters actually stored, so a vault made this way is visible.
    if Env.get("MFACTL_INSECURE_TEST_KDF") == "1" { return .minimum }
    switch self {
    case .interactive: return .interactive
    case .moderate: return .moderate
    case .sensitive: return .sensitive
    }
  }
}

extension MFACtl {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create a new, empty vault.",
      discussion: """
        The vault gets a passphrase slot (from --passphrase-file, $MFACTL_PASSPHRASE_FILE, \
        $MFACTL_PASSPHRASE, a prompt asked twice on a terminal, or one line of stdin) and/or \
        a key-file slot (--generate-key-file PATH creates a new 32-byte key file; --key-file \
        PATH enrols an existing one). Never overwrites an existing vault or key file (exit 73).
        """)

    @OptionGroup var options: GlobalOptions

    @Option(
      help: "Argon2id cost of the passphrase slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).")
    var kdf: KDFLevel = .moderate

    @Option(
      help: ArgumentHelp(
        "Create a new key file (32 random bytes, mode 0600) and add a slot for it.", valueName: "path"),
      completion: .file())
    var generateKeyFile: String?

    @Flag(help: "Do not add a passphrase slot (needs a key file).")
    var noPassphrase = false

    func validate() throws {
      if noPassphrase && generateKeyFile == nil && options.common.keyFile == nil
        && GlobalOption.keyFile.fromEnvironment == nil
      {
        throw ValidationError("--no-passphrase needs --generate-key-file PATH or --key-file PATH")
      }
    }

    func run() throws {
      try reporting {
        let ctx = Context(options: options)
        let path = ctx.vaultName
        if !ctx.isPostgres && FileIO.exists(path) {
          throw CLIError(
            "\(path) already exists", code: Exit.cannotCreate,
            hint: "choose another path with --vault, or keep using the existing vault")
        }
        var keys: [UnlockKey] = []
        if !noPassphrase { keys.append(.passphrase(try newPassphrase(ctx))) }
        var generated: String? = nil
        if let kf = generateKeyFile {
          keys.append(.keyFile(try KeyFile.generate(at: kf)))
          generated = kf
        } else if let kf = ctx.keyFilePath {
          do {
            keys.append(.keyFile(try KeyFile.load(kf)))
          } catch VaultError.notFound {
            throw CLIError(
              "key file not found: \(kf)", code: Exit.notFound, hint: "create one with --generate-key-file PATH")
          }
        }
        do {
          if ctx.isPostgres {
            try PostgresVault.create(
              uri: ctx.vaultPath, keys: keys, limits: kdf.limits, now: ctx.now, lockTimeout: ctx.lockTimeout)
          } else {
            try VaultFile.create(path: path, keys: keys, limits: kdf.limits, now: ctx.now, lockTimeout: ctx.lockTimeout)
          }
        } catch {
          if let g = generated { unlink(g) }  // a failed init leaves nothing behind
          throw error
        }
        let slots = keys.map { $0.kind.name }
        if options.json {
          let (header, _) =
            ctx.isPostgres
            ? try PostgresVault.readHeader(uri: ctx.vaultPath, lockTimeout: ctx.lockTimeout)
            : try VaultFile.readHeader(path: path, lockTimeout: ctx.lockTimeout)
          ctx.printer.json(
            .object([
              ("vault", .string(path)), ("format_version", .int(Int64(VaultFormat.version))),
              ("slots", ObjectJSON.keySlots(header.slots)),
              ("key_file", .str(generated ?? (noPassphrase ? ctx.keyFilePath : nil))),
            ]))
        } else {
          ctx.printer.line(
            "created vault \(path) (\(slots.joined(separator: " and ")) slot\(slots.count > 1 ? "s" : ""))")
          if let g = generated { ctx.printer.line("key file written to \(g); keep it safe: it opens the vault") }
        }
      }
    }

    /// The passphrase of a new vault: a file or $MFACTL_PASSPHRASE, else a prompt asked
    /// twice on a terminal, else one line of stdin.
    func newPassphrase(_ ctx: Context) throws -> SecureBytes {
      if let path = ctx.passphraseFilePath { return try Context.passphraseFromFile(path) }
      if let p = Env.get("MFACTL_PASSPHRASE") { return try SecureBytes(copying: Array(p.utf8)) }  // empty = unset
      return try readNewPassphrase()
    }
  }
}

/// A new passphrase from the terminal (asked twice) or one line of stdin. Empty is refused.
func readNewPassphrase() throws -> SecureBytes {
  var first: [UInt8]
  if Terminal.stdinIsTerminal {
    first = try Terminal.promptLine("New passphrase", echo: false)
    var second = try Terminal.promptLine("Repeat passphrase", echo: false)
    defer { Sodium.wipe(&second) }
    guard Sodium.constantTimeEqual(first, second) else {
      Sodium.wipe(&first)
      throw CLIError("the passphrases do not match", code: Exit.usage)
    }
  } else {
    guard let line = try Terminal.readLineBytes() else {
      throw CLIError(
        "no passphrase given", code: Exit.usage,
        hint: "pass one line on stdin, or use --passphrase-file PATH, or --no-passphrase with --generate-key-file PATH")
    }
    first = line
  }
  defer { Sodium.wipe(&first) }
  guard !first.isEmpty else { throw CLIError("the passphrase must not be empty", code: Exit.usage) }
  return try SecureBytes(copying: first)
}
