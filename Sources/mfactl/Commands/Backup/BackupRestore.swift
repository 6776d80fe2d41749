import Accounts
import ArgumentParser
import Sodium
import Vault

struct BackupRestore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Put a backup back in place of the vault and its audit log.",
    discussion: """
      The backup is verified completely first (as by 'backup verify'). Then, under the \
      vault's exclusive lock: when a vault is there and opens with the key given (or is \
      sound but does not open with it), --force is required, because a restore rolls back \
      replay state and used recovery codes; over a missing or corrupt vault it is not. The \
      current vault and audit log are kept beside it as <vault>.replaced-<UTC time> and \
      <vault>.audit.replaced-<UTC time>, then the vault and the audit log are replaced \
      together (an intent record <vault>.restore makes the pair switch atomic: a restore \
      interrupted after it is finished by the next command), the restored log ending with a \
      backup.restored event. What the replaced vault had used stays used: when the key \
      opens it, each authenticator's replay floor (HOTP counter, TOTP step) is raised to \
      the replaced vault's and recovery codes it no longer holds as unused are voided. The \
      restored vault opens with the keys it had when the backup was made.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: ArgumentHelp("The backup file.", valueName: "file"), completion: .file(extensions: ["mfab"]))
  var file: String
  @Flag(help: "Restore even over a vault that still opens (rolls back replay state and used recovery codes).")
  var force = false

  func run() throws {
    try reporting {
      try backupErrors {
        let ctx = Context(options: options)
        let peek = try Backup.peek(path: file)
        let (key, source) = try ctx.unlock(passphraseSlot: { peek.header.slots.contains { $0.kind == .passphrase } })
        var users = 0
        // Scratch copies beside the vault (never in $TMPDIR): a killed restore's are
        // removed by the next writer.
        let opener =
          ctx.isPostgres ? Backup.Opener(key: key) : Backup.Opener(key: key, scratchBeside: ctx.vaultPath)
        let c = try ctx.naming(source, opening: "backup \(file)") {
          try opener.verify(path: file, inspect: { users = try countUsers($0, ctx) })
        }
        var event = AccountEvent(.backupRestored)
        var raised = ReplayFloors.Raised()
        let restoredFacts = RecordBackup.Restored(path: absolutePath(file), backupCreated: c.created, force: force)
        // On the restored copy, before it is written: replay floors raised from the
        // replaced vault (when the key opens it), then the event, recorded in the
        // restored log with the backup's data key.
        let r:
          (
            vault: String, prior: Backup.PriorState, replacedVault: String?, replacedAudit: String?,
            replacedJournal: String?, replacedAuditNext: String?
          )
        if ctx.isPostgres {
          let pr = try PostgresVault.restore(
            c, uri: ctx.vaultPath, key: key, force: force, now: ctx.now, lockTimeout: ctx.lockTimeout,
            prepare: { restored, replaced in
              (event, raised) = try RecordBackup.restored(
                into: AccountStore(vault: restored, now: ctx.now, actor: ctx.actor),
                replaced: replaced.map(PostgresStorage.init), restoredFacts)
            })
          r = (ctx.vaultName, pr.prior, pr.replacedSchema.map { "schema \($0)" }, nil, nil, nil)
        } else {
          let fr = try Backup.restore(
            c, to: ctx.vaultPath, key: key, force: force, now: ctx.now, lockTimeout: ctx.lockTimeout,
            prepare: { restored, replaced in
              (event, raised) = try RecordBackup.restored(
                into: AccountStore(vault: restored, now: ctx.now, actor: ctx.actor),
                replaced: replaced.map(FileVaultStorage.init), restoredFacts)
            })
          r = (fr.vaultPath, fr.prior, fr.replacedVault, fr.replacedAudit, fr.replacedJournal, fr.replacedAuditNext)
        }
        if ctx.mirrorToSyslog {
          SyslogMirror.send([event], actor: ctx.actor, time: ctx.now)
        }

        let (previous, detail): (String, String?) = {
          switch r.prior {
          case .missing: return ("missing", nil)
          case .corrupt(let why): return ("corrupt", why)
          case .opens: return ("intact", nil)
          case .notChecked(let why): return ("unchecked", why)
          }
        }()
        if options.json {
          ctx.printer.json(
            .object(
              ObjectJSON.backup(c, users: users) + [
                ("vault", .string(r.vault)), ("previous", .string(previous)), ("previous_detail", .str(detail)),
                ("replaced_vault", .str(r.replacedVault)), ("replaced_audit", .str(r.replacedAudit)),
                ("replaced_journal", .str(r.replacedJournal)), ("replaced_audit_next", .str(r.replacedAuditNext)),
                ("floors_raised", .int(Int64(raised.authenticators))),
                ("codes_voided", .int(Int64(raised.recoveryCodes))),
              ]))
          return
        }
        let p = ctx.printer
        p.line(
          "restored \(r.vault) from \(file) (backup made \(Time.rfc3339(c.created)), \(users) user\(users == 1 ? "" : "s"))"
        )
        switch r.prior {
        case .missing: p.line("there was no vault at \(r.vault)")
        case .corrupt(let why): p.line("the previous vault was corrupt (\(why))")
        case .opens: p.line("the previous vault was intact (restored with --force)")
        case .notChecked(let why): p.line("the previous vault was not checked (\(why)); restored with --force")
        }
        if let v = r.replacedVault { p.line("kept the replaced vault as \(v)") }
        if let a = r.replacedAudit { p.line("kept the replaced audit log as \(a)") }
        if let j = r.replacedJournal { p.line("kept the replaced vault's pending journal as \(j)") }
        if let x = r.replacedAuditNext { p.line("kept the replaced vault's pending audit log rewrite as \(x)") }
        if raised.authenticators > 0 || raised.recoveryCodes > 0 {
          p.line(
            "kept what the replaced vault had used: raised the replay floor of \(raised.authenticators) authenticator\(raised.authenticators == 1 ? "" : "s"), voided \(raised.recoveryCodes) recovery code\(raised.recoveryCodes == 1 ? "" : "s")"
          )
        }
        if c.separateKeySlots {
          p.line("the restored vault opens with the keys it had when the backup was made, not the backup passphrase")
        }
      }
    }
  }
}
