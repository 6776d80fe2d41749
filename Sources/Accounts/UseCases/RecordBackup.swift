// `backup create` and `backup restore`: the backup itself is Vault's (Backup.swift);
// what the domain adds is the event (`backup.created` in the live log, as a backup cannot
// hold its own; `backup.restored` in the restored one) and, on a restore, the replay
// floors raised from the replaced vault (ReplayFloors).

public enum RecordBackup {
  public struct Created {
    /// The backup file, absolute (the log outlives the working directory).
    public var path: String
    public var size: Int
    public var users: Int
    /// Sealed under its own backup passphrase rather than the vault's keys.
    public var separatePassphrase: Bool
    public init(path: String, size: Int, users: Int, separatePassphrase: Bool) {
      self.path = path
      self.size = size
      self.users = users
      self.separatePassphrase = separatePassphrase
    }
  }

  /// Commits `backup.created`. `status` ages backups by this event, so the caller removes
  /// the file again when this throws: no event, no backup.
  public static func created(_ store: AccountStore, _ backup: Created) throws {
    store.record(
      AccountEvent(
        .backupCreated,
        detail: [
          "path": backup.path, "size": String(backup.size), "users": String(backup.users),
          "protection": backup.separatePassphrase ? "backup-passphrase" : "vault-keys",
        ]))
    try store.commit()
  }

  public struct Restored {
    public var path: String
    /// When the backup was made (Unix seconds).
    public var backupCreated: Int64
    public var force: Bool
    public init(path: String, backupCreated: Int64, force: Bool) {
      self.path = path
      self.backupCreated = backupCreated
      self.force = force
    }
  }

  /// On the restored copy, before Backup.restore writes it: raises the replay floors
  /// from the replaced vault (when the key opened it) and stages `backup.restored` in the
  /// restored log. Returns the event (for syslog) and what was raised.
  public static func restored(
    into restored: AccountStore, replaced: AccountStorage?, _ backup: Restored
  ) throws -> (event: AccountEvent, raised: ReplayFloors.Raised) {
    var raised = ReplayFloors.Raised()
    if let replaced = replaced {
      raised = try ReplayFloors.raise(in: restored.storage, from: replaced, now: restored.now)
    }
    let event = AccountEvent(
      .backupRestored,
      detail: [
        "backup": backup.path, "backup_created": String(backup.backupCreated), "force": backup.force ? "yes" : "no",
        "floors_raised": String(raised.authenticators), "codes_voided": String(raised.recoveryCodes),
      ])
    restored.storage.appendAudit(restored.encode(event))
    return (event, raised)
  }
}
