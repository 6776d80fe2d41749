// Every event mfactl writes to the audit log, by name. The raw values are the names in
// the log (docs/FORMAT.md, "Audit log"; `audit list --event`): they are a stored format,
// so a case may be added but never renamed. One enum, so that a command cannot invent or
// misspell an event, and the list of what is audited is in one place.

/// The name of an audit event.
public enum AuditEventName: String, CaseIterable {
  case auditPruned = "audit.pruned"
  case auditReset = "audit.reset"

  case authenticatorRemoved = "authenticator.removed"
  case authenticatorResyncFailed = "authenticator.resync_failed"
  case authenticatorResyncLocked = "authenticator.resync_locked"
  case authenticatorResynced = "authenticator.resynced"

  case backupCreated = "backup.created"
  case backupRestored = "backup.restored"

  case challengeSent = "challenge.sent"
  case challengeThrottled = "challenge.throttled"
  case challengeUndelivered = "challenge.undelivered"

  case codeShown = "code.shown"

  case deviceEvicted = "device.evicted"
  case deviceRejected = "device.rejected"
  case deviceRevoked = "device.revoked"
  case deviceTrusted = "device.trusted"

  case diagnoseLocked = "diagnose.locked"
  case diagnoseRun = "diagnose.run"

  case enrolConfirmed = "enrol.confirmed"
  case enrolImported = "enrol.imported"
  case enrolRejected = "enrol.rejected"
  case enrolStarted = "enrol.started"

  case recoveryFailure = "recovery.failure"
  case recoveryGenerated = "recovery.generated"
  case recoveryUsed = "recovery.used"

  case secretExported = "secret.exported"

  case sessionCreated = "session.created"
  case sessionEvicted = "session.evicted"
  case sessionRejected = "session.rejected"
  case sessionRevoked = "session.revoked"

  case userCreated = "user.created"
  case userDisabled = "user.disabled"
  case userEnabled = "user.enabled"
  case userErased = "user.erased"
  case userExported = "user.exported"
  case userPolicy = "user.policy"
  case userRemoved = "user.removed"
  case userUnlocked = "user.unlocked"

  case vaultKeyFileAdded = "vault.key_file_added"
  case vaultKeyFileRemoved = "vault.key_file_removed"
  case vaultPassphraseChanged = "vault.passphrase_changed"
  case vaultRekeyed = "vault.rekeyed"

  case verifyFailure = "verify.failure"
  case verifyLocked = "verify.locked"
  case verifyRefused = "verify.refused"
  case verifyReplay = "verify.replay"
  case verifySuccess = "verify.success"
}
