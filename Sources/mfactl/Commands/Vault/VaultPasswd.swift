import Accounts
import ArgumentParser
import Sodium
import Vault

struct VaultPasswd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd",
    abstract: "Set or change the vault passphrase.",
    discussion: """
      Unlock with any key source; the new passphrase comes from --new-passphrase-file FILE, \
      else one line of stdin, else a prompt asked twice. Replaces the passphrase slot (or adds \
      one to a key-file-only vault).
      """)
  @OptionGroup var options: GlobalOptions
  @Option(help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file"), completion: .file())
  var newPassphraseFile: String?
  @Option(help: "Argon2id cost of the new slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).")
  var kdf: KDFLevel = .moderate

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let newPass: SecureBytes
      if let f = newPassphraseFile { newPass = try Context.passphraseFromFile(f) } else { newPass = try readNewPassphrase() }
      let store = try ctx.openStore(write: true, stdinFree: newPassphraseFile != nil)
      let changed = try ChangeKeySlots.run(store, .setPassphrase(newPass, limits: kdf.limits, kdf: kdf.rawValue))
      if options.json {
        ctx.printer.json(
          .object([("vault", .string(ctx.vaultPath)), ("passphrase", .string("changed")), ("slots", ObjectJSON.keySlots(changed.slots))]))
      }
      else { ctx.printer.line("passphrase changed for \(ctx.vaultPath)") }
    }
  }
}

struct VaultAddKeyFile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add-key-file",
    abstract: "Add a key-file slot: creates PATH (32 random bytes, 0600) when missing, else enrols that file.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "Key file path.", completion: .file()) var path: String

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      let created = !FileIO.exists(path)
      let key = created ? try KeyFile.generate(at: path) : try KeyFile.load(path)
      let changed: ChangeKeySlots.Result
      do {
        changed = try ChangeKeySlots.run(store, .addKeyFile(key, created: created))
      } catch {
        if created { unlinkFile(path) }
        throw error
      }
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultPath)), ("key_file", .string(path)), ("key_file_created", .bool(created)),
            ("slots", ObjectJSON.keySlots(changed.slots)),
          ]))
      } else {
        ctx.printer.line(created ? "created key file \(path) and added it to the vault" : "added key file \(path) to the vault")
      }
    }
  }
}

struct VaultRemoveKeyFile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove-key-file",
    abstract: "Remove a key-file slot: the one PATH opens, or the only one. Never the last slot.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "The key file whose slot to remove (default: the vault's only key-file slot).", completion: .file()) var path: String?

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let target = try path.map { try KeyFile.load($0) }
      let store = try ctx.openStore(write: true)
      let changed = try ChangeKeySlots.run(store, .removeKeyFile(target))
      let removed = changed.removed!
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultPath)), ("removed_fingerprint", .string(removed.fingerprintHex)),
            ("slots", ObjectJSON.keySlots(changed.slots)),
          ]))
      } else {
        ctx.printer.line("removed key-file slot \(removed.fingerprintHex)")
      }
    }
  }
}

struct VaultRekey: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rekey",
    abstract: "Rotate the data key: re-encrypt every record under a new key.",
    discussion: """
      The new key is wrapped for the key sources given on this call: the one that unlocks \
      (--key-file, --passphrase-file, $MFACTL_PASSPHRASE...) and, with --also-key-file or \
      --also-passphrase-file, one more. Slots whose secret was not given cannot be rewrapped; \
      rekey refuses to drop them unless --drop-other-slots.
      """)
  @OptionGroup var options: GlobalOptions
  @Option(help: ArgumentHelp("Also keep this key file's slot.", valueName: "path"), completion: .file()) var alsoKeyFile: String?
  @Option(help: ArgumentHelp("Also keep a passphrase slot with the passphrase in this file.", valueName: "path"), completion: .file())
  var alsoPassphraseFile: String?
  @Flag(help: "Drop the slots whose secret was not given.") var dropOtherSlots = false
  @Option(help: "Argon2id cost of rewrapped passphrase slots.") var kdf: KDFLevel = .moderate

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      guard FileIO.exists(ctx.vaultPath) else { throw Context.noVault(ctx.vaultPath) }
      let (unlock, source) = try ctx.unlock()
      var keys: [UnlockKey] = [unlock]
      if let k = alsoKeyFile { keys.append(.keyFile(try KeyFile.load(k))) }
      if let p = alsoPassphraseFile { keys.append(.passphrase(try Context.passphraseFromFile(p))) }
      let vault = try ctx.naming(source, opening: "vault \(ctx.vaultPath)") {
        try VaultFile(path: ctx.vaultPath, key: unlock, mode: .exclusive, lockTimeout: ctx.lockTimeout)
      }
      let store = AccountStore(vault: vault, now: ctx.now, actor: ctx.actor)
      store.mirrorToSyslog = ctx.options.syslog || Env.get("MFACTL_SYSLOG") == "1"
      let before = store.keySlots.count
      if before > keys.count && !dropOtherSlots {
        throw CLIError(
          "the vault has \(before) key slots but only \(keys.count) secret\(keys.count == 1 ? " was" : "s were") given",
          code: Exit.usage,
          hint: "give the others with --also-key-file / --also-passphrase-file, or pass --drop-other-slots")
      }
      let changed = try ChangeKeySlots.run(store, .rekey(keys: keys, limits: [.passphrase: kdf.limits]))
      if options.json {
        ctx.printer.json(.object([("vault", .string(ctx.vaultPath)), ("slots", ObjectJSON.keySlots(changed.slots))]))
      } else {
        ctx.printer.line("data key rotated; \(keys.count) key slot\(keys.count == 1 ? "" : "s")")
      }
    }
  }
}
