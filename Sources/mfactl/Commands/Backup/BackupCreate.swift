import Accounts
import ArgumentParser
import Sodium
import Vault

struct BackupCreate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Write a backup of the vault and its audit log (never over an existing file).",
    discussion: """
      Writes FILE, or with --dir DIR the file mfactl-backup-YYYYMMDDTHHMMSSZ.mfab (UTC time) in \
      DIR (created 0700 when missing); with neither, that name in the current directory. A \
      second backup within the same second is named mfactl-backup-YYYYMMDDTHHMMSSZ_002.mfab \
      (then _003, ...), so names are unique and sort by time. The \
      vault is read under its shared lock, so the vault and its audit log are a consistent \
      pair, and every record is decrypted first: a damaged vault is reported (65), not saved. \
      The file is written to a temp file, fsynced and linked into place, mode 0600; an existing \
      FILE is never overwritten (73). --keep N then deletes the oldest backups of this vault \
      in DIR beyond the newest N: only files named mfactl-backup-*.mfab whose header names \
      this vault count, so several vaults can share a directory. \
      By default the backup opens with the vault's key slots as they are now. \
      --backup-passphrase-file FILE gives it one passphrase slot of its own instead (the \
      global --passphrase-file still only unlocks the vault); the restored vault opens with \
      the keys it had, not with the backup passphrase.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: ArgumentHelp("The backup file to create.", valueName: "file"), completion: .file()) var file: String?
  @Option(
    help: ArgumentHelp("Write a backup named by UTC time in this directory.", valueName: "dir"), completion: .directory)
  var dir: String?
  @Option(help: ArgumentHelp("With --dir: keep only the newest N backups there.", valueName: "n")) var keep: Int?
  @Option(
    help: ArgumentHelp(
      "Protect the backup with its own passphrase, the first line of this file, instead of the vault's key slots.",
      valueName: "file"), completion: .file())
  var backupPassphraseFile: String?
  @Option(
    help: "Argon2id cost of the backup passphrase slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).")
  var kdf: KDFLevel = .moderate

  func validate() throws {
    if file != nil && dir != nil { throw ValidationError("give a backup FILE or --dir DIR, not both") }
    if keep != nil && dir == nil { throw ValidationError("--keep needs --dir DIR") }
    if let k = keep, k < 1 { throw ValidationError("--keep must be at least 1") }
  }

  func run() throws {
    try reporting {
      try backupErrors {
        let ctx = Context(options: options)
        let backupPassphrase = try backupPassphraseFile.map { try Context.passphraseFromFile($0) }
        let vaultPath = ctx.vaultPath
        if !ctx.isPostgres && !FileIO.exists(vaultPath) { throw Context.noVault(vaultPath) }
        let now = ctx.now
        var target: String
        let named: ((Int) -> String)?  // --dir: the name of the n-th backup of this second
        if let f = file {
          target = f
          named = nil
          // Checked again, atomically, when the file is linked into place.
          if FileIO.exists(target) { throw BackupError.alreadyExists(target) }
        } else {
          let d = dir ?? "."
          try FileIO.makeDirectories(d)
          named = { n in
            d == "." && dir == nil
              ? Backup.fileName(at: now, sequence: n) : joinPath(d, Backup.fileName(at: now, sequence: n))
          }
          target = named!(1)
        }

        let (key, source) = try ctx.unlock()
        var users = 0
        let made: Backup.Made
        if ctx.isPostgres {
          // A read-only snapshot of the rows, laid out as the vault file they make.
          let vault = try ctx.naming(source, opening: "vault \(ctx.vaultName)") {
            try PostgresVault(uri: vaultPath, key: key, mode: .shared, lockTimeout: ctx.lockTimeout)
          }
          made = try vault.backup(
            key: key, now: now, backupPassphrase: backupPassphrase, limits: kdf.limits,
            inspect: { users = try countUsers($0, ctx) })
          vault.close()
        } else {
          let vault = try ctx.naming(source, opening: "vault \(vaultPath)") {
            try VaultFile(path: vaultPath, key: key, mode: .shared, lockTimeout: ctx.lockTimeout)
          }
          made = try Backup.make(
            vault: vault, key: key, now: now, backupPassphrase: backupPassphrase, limits: kdf.limits,
            inspect: { users = try countUsers($0, ctx) })
          vault.close()
        }
        if let named = named {
          // Names made by time are unique even within one second: the next free
          // sequence number, claimed atomically by the link into place.
          var n = 1
          while true {
            target = named(n)
            do {
              try Backup.writeNew(made.bytes, to: target)
              break
            } catch BackupError.alreadyExists where n < Backup.maxSequence {
              n += 1
            }
          }
        } else {
          try Backup.writeNew(made.bytes, to: target)
        }
        // backup.created goes into the live log (a backup cannot hold its own event), under
        // the exclusive lock, which is taken only now so a slow backup disk never holds up
        // logins; so a passphrase costs one more Argon2id here. No event, no backup: the
        // file goes again when the event cannot be committed (`status` ages backups by it).
        do {
          let store = AccountStore(
            storage: try ctx.openStorage(write: true, unlocked: (key, source)), now: now, actor: ctx.actor)
          store.mirrorToSyslog = ctx.mirrorToSyslog
          try RecordBackup.created(
            store,
            RecordBackup.Created(
              path: absolutePath(target), size: made.bytes.count, users: users,
              separatePassphrase: made.separatePassphrase))
        } catch {
          unlinkFile(target)
          throw error
        }

        var removed: [String] = []
        if let d = dir, let n = keep {
          let r = try Backup.rotate(directory: d, keep: n, vaultID: made.vaultID)
          removed = r.removed
          for f in r.failed { Report.warning("could not remove old backup \(f)") }
        }

        if options.json {
          ctx.printer.json(
            // The new file is not read back: verified null (backup verify checks it).
            .object(
              ObjectJSON.backup(
                ObjectJSON.BackupFacts(
                  path: target, created: now, size: made.bytes.count, vaultID: made.vaultID, users: users,
                  records: made.recordCount, vaultSize: made.vaultSize, auditSize: made.auditSize,
                  separatePassphrase: made.separatePassphrase)) + [
                  ("vault", .string(ctx.vaultName)), ("deleted", .array(removed.map { .string($0) })),
                ]))
        } else {
          ctx.printer.essential(target)
          for r in removed { ctx.printer.line("removed old backup \(r)") }
        }
      }
    }
  }
}
