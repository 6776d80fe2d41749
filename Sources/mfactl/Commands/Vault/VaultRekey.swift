import Accounts
import ArgumentParser
import Sodium
import Vault

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
  @Option(help: ArgumentHelp("Also keep this key file's slot.", valueName: "path"), completion: .file())
  var alsoKeyFile: String?
  @Option(
    help: ArgumentHelp("Also keep a passphrase slot with the passphrase in this file.", valueName: "path"),
    completion: .file())
  var alsoPassphraseFile: String?
  @Flag(help: "Drop the slots whose secret was not given.") var dropOtherSlots = false
  @Option(help: "Argon2id cost of rewrapped passphrase slots.") var kdf: KDFLevel = .moderate

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      if !ctx.isPostgres && !FileIO.exists(ctx.vaultPath) { throw Context.noVault(ctx.vaultPath) }
      let (unlock, source) = try ctx.unlock()
      var keys: [UnlockKey] = [unlock]
      if let k = alsoKeyFile { keys.append(.keyFile(try KeyFile.load(k))) }
      if let p = alsoPassphraseFile { keys.append(.passphrase(try Context.passphraseFromFile(p))) }
      let store = AccountStore(
        storage: try ctx.openStorage(write: true, unlocked: (unlock, source)), now: ctx.now, actor: ctx.actor)
      store.mirrorToSyslog = ctx.mirrorToSyslog
      let before = store.keySlots.count
      if before > keys.count && !dropOtherSlots {
        throw CLIError(
          "the vault has \(before) key slots but only \(keys.count) secret\(keys.count == 1 ? " was" : "s were") given",
          code: Exit.usage,
          hint: "give the others with --also-key-file / --also-passphrase-file, or pass --drop-other-slots")
      }
      let changed = try ChangeKeySlots.run(store, .rekey(keys: keys, limits: [.passphrase: kdf.limits]))
      if options.json {
        ctx.printer.json(.object([("vault", .string(ctx.vaultName)), ("slots", ObjectJSON.keySlots(changed.slots))]))
      } else {
        ctx.printer.line("data key rotated; \(keys.count) key slot\(keys.count == 1 ? "" : "s")")
      }
    }
  }
}
