// The use cases (Sources/Accounts/UseCases) run directly against a real vault file
// through the storage seam (FileVaultStorage): what each records, in what order, and
// that nothing is stored when the caller cannot show a new token. And the layering: the
// CLI reaches storage only through the store, and builds no event from a string.
import Accounts
import Foundation
import OTP
import Sodium
import Vault
import XCTest

final class UseCaseTests: XCTestCase {
  var dir: String!
  var path: String!
  var key: UnlockKey!
  let totp = totpAuth()

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "usecases-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    path = dir + "/vault"
    key = .keyFile(try SecureBytes.random(count: 32))
    try VaultFile.create(path: path, keys: [key], limits: .minimum, now: t0, lockTimeout: 1)
    try seed(user([totp]))
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// A store over the vault, through the file-vault adapter.
  func store(write: Bool = true, now: Int64 = t0) throws -> AccountStore {
    let vault = try VaultFile(path: path, key: key, mode: write ? .exclusive : .shared, lockTimeout: 1)
    return AccountStore(storage: FileVaultStorage(vault), now: now, actor: Actor(name: "test"))
  }

  func seed(_ u: User) throws {
    let s = try store()
    try s.save(u, event: AccountEvent(.userCreated, user: u))
    try s.commit()
  }

  /// The events in the log after the first `skip` (the seeding).
  func events(after skip: Int = 1) throws -> [AuditEntry] {
    let s = try store(write: false)
    defer { s.close() }
    return Array(try ReadAudit.run(s).entries.dropFirst(skip))
  }

  func alice() throws -> User {
    let s = try store(write: false)
    defer { s.close() }
    return try s.user("alice")
  }

  func verify(
    _ code: String, extras: SignInExtras = SignInExtras(), now: Int64 = t0,
    reveal: (SignInOutcome) throws -> Void = { _ in }
  )
    throws -> SignInOutcome
  {
    try VerifyCode.run(try store(now: now), VerifyCode.Input(user: "alice", code: code, extras: extras), reveal: reveal)
  }

  // MARK: Sign-in

  func testAcceptedCodeIsRecordedWithItsMethod() throws {
    let outcome = try verify(code(totp, s0))
    XCTAssertEqual(outcome.result, .accepted(.authenticator(id: totp.id, offset: 0)))
    XCTAssertEqual(outcome.method, "totp")
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["verify.success"])
    XCTAssertEqual(e[0].outcome, .success)
    XCTAssertEqual(e[0].detail.first { $0.key == "method" }?.value, "totp")
    XCTAssertEqual(e[0].detail.first { $0.key == "authenticator" }?.value, totp.id)
    XCTAssertEqual(try alice().authenticators[0].lastStep, UInt64(s0), "the used step is stored")
  }

  func testReplayIsRejectedAndRecordedAsAReplay() throws {
    _ = try verify(code(totp, s0))
    let outcome = try verify(code(totp, s0))
    XCTAssertEqual(outcome.result, .rejected(replay: true))
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["verify.success", "verify.replay"])
    XCTAssertEqual(e[1].outcome, .failure)
    XCTAssertEqual(try alice().failures, 1, "a replay counts towards the lockout")
  }

  func testLockedUserIsRefusedWithoutCheckingTheCode() throws {
    var u = try alice()
    u.failures = 5
    u.lockedUntil = t0 + 60
    try seed(u)
    let outcome = try verify(code(totp, s0))
    guard case .locked(let until) = outcome.result else { return XCTFail("\(outcome.result)") }
    let e = try events(after: 2)
    XCTAssertEqual(e.map(\.name), ["verify.locked"])
    XCTAssertEqual(e[0].detail.first { $0.key == "until" }?.value, String(until))
    XCTAssertNil(try alice().authenticators[0].lastStep, "the right code was not used up")
  }

  func testDisabledUserIsRefusedAndTheRefusalRecorded() throws {
    var u = try alice()
    u.disabled = true
    try seed(u)
    let outcome = try verify(code(totp, s0))
    XCTAssertEqual(outcome.result, .disabled)
    let e = try events(after: 2)
    XCTAssertEqual(e.map(\.name), ["verify.refused"])
    XCTAssertEqual(e[0].detail.first { $0.key == "reason" }?.value, "disabled")
    XCTAssertEqual(try alice().failures, 0)
  }

  func testMalformedCodeIsAFailureWithItsRuleNeverTheCode() throws {
    let outcome = try verify("12ab56")
    guard case .malformed = outcome.result else { return XCTFail("\(outcome.result)") }
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["verify.failure"])
    XCTAssertEqual(e[0].detail.first { $0.key == "reason" }?.value, "malformed")
    XCTAssertFalse(e[0].detail.contains { $0.value.contains("12ab56") })
  }

  func testSessionAndDeviceOnSuccessAreShownBeforeTheCommit() throws {
    var extras = SignInExtras()
    extras.session = (ttl: nil, idle: nil, remember: false)
    extras.trustDevice = (name: "laptop", ttl: nil)
    var shown: [String] = []
    let files = [path!, VaultFile.auditPath(forVault: path)]
    let before = files.map { FileManager.default.contents(atPath: $0) }
    let outcome = try verify(code(totp, s0), extras: extras) { o in
      shown = o.tokens
      XCTAssertEqual(files.map { FileManager.default.contents(atPath: $0) }, before, "shown before anything is written")
    }
    XCTAssertEqual(shown, [outcome.session!.token, outcome.device!.token], "the session token first")
    XCTAssertEqual(try events().map(\.name), ["session.created", "device.trusted", "verify.success"])
    XCTAssertEqual(outcome.session!.session.deviceName, "laptop")
  }

  func testATokenThatCannotBeShownIsNeverStoredAndTheCodeNotUsedUp() throws {
    var extras = SignInExtras()
    extras.session = (ttl: nil, idle: nil, remember: false)
    struct Unwritable: Error {}
    XCTAssertThrowsError(try verify(code(totp, s0), extras: extras) { _ in throw Unwritable() })
    XCTAssertTrue(try events().isEmpty)
    XCTAssertNil(try alice().authenticators[0].lastStep)
    XCTAssertEqual(try Sessions.load(try alice()), [])
  }

  func testEnrolmentConfirmationIsRecordedUnderItsOwnNames() throws {
    var u = try alice()
    u.authenticators = [totpAuth(state: .pending)]
    try seed(u)
    let bad = try ConfirmAuthenticator.run(
      try store(), ConfirmAuthenticator.Input(user: "alice", code: wrongCode(totp, around: s0)))
    XCTAssertEqual(bad.result, .rejected(replay: false))
    let good = try ConfirmAuthenticator.run(
      try store(), ConfirmAuthenticator.Input(user: "alice", code: code(totp, s0)))
    XCTAssertEqual(good.result, .accepted(.authenticator(id: totp.id, offset: 0)))
    XCTAssertEqual(try events(after: 2).map(\.name), ["enrol.rejected", "enrol.confirmed"])
    XCTAssertTrue(try alice().authenticators[0].isActive)
  }

  // MARK: Sessions, devices, recovery codes

  func testCreateSessionIndexesItAndRecordsIt() throws {
    let r = try CreateSession.run(try store(), CreateSession.Input(user: "alice", session: SessionRequest(ttl: 90))) {
      _ in
    }
    XCTAssertEqual(r.created.session.expiresAt, t0 + 90)
    XCTAssertEqual(try events().map(\.name), ["session.created"])
    let s = try store(write: false)
    defer { s.close() }
    let hash = Token.hash(r.created.token, key: try s.tokenKey())
    XCTAssertEqual(try s.userForSession(tokenHash: hash)?.name, "alice", "sessions check finds it by token")
  }

  func testDeviceTrustIsRecordedAndRefusedForADisabledUser() throws {
    let r = try TrustDevice.run(try store(), TrustDevice.Input(user: "alice", device: DeviceRequest(name: "phone"))) {
      _ in
    }
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["device.trusted"])
    XCTAssertEqual(e[0].detail.first { $0.key == "device" }?.value, r.trusted.device.id)
    XCTAssertEqual(e[0].detail.first { $0.key == "name" }?.value, "phone")

    var u = try alice()
    u.disabled = true
    try seed(u)
    XCTAssertThrowsAccountsError(
      try TrustDevice.run(try store(), TrustDevice.Input(user: "alice", device: DeviceRequest(name: "tablet"))) { _ in
      },
      .userDisabled("alice"))
    XCTAssertThrowsAccountsError(
      try CreateSession.run(try store(), CreateSession.Input(user: "alice", session: SessionRequest())) { _ in },
      .userDisabled("alice"))
    XCTAssertEqual(try Devices.load(try alice()).map(\.name), ["phone"])
    XCTAssertEqual(try events(after: 3).map(\.name), [], "a refused creation records nothing")
  }

  func testRecoveryCodeUseAcceptsOnceThenFails() throws {
    let s = try store()
    var u = try s.user("alice")
    let codes = try RecoveryCodes.generate(&u, count: 3, key: try s.recoveryCodesKey(), now: t0)
    try s.save(u, event: AccountEvent(.recoveryGenerated, user: u))
    try s.commit()
    let first = try UseRecoveryCode.run(try store(), UseRecoveryCode.Input(user: "alice", code: codes[0]))
    XCTAssertEqual(first.outcome, .accepted(remaining: 2))
    let again = try UseRecoveryCode.run(try store(), UseRecoveryCode.Input(user: "alice", code: codes[0]))
    XCTAssertEqual(again.outcome, .rejected)
    XCTAssertEqual(try events(after: 2).map(\.name), ["recovery.used", "recovery.failure"])
  }

  func testRevokingASessionByIdFindsItsUserAndLeavesTheIndex() throws {
    let r = try CreateSession.run(try store(), CreateSession.Input(user: "alice", session: SessionRequest())) { _ in }
    XCTAssertNil(try RevokeSessions.run(try store(), .id("00000000")), "no such session: nothing written")
    let revoked = try XCTUnwrap(try RevokeSessions.run(try store(), .id(r.created.session.id)))
    XCTAssertEqual(revoked.user.name, "alice")
    let s = try store(write: false)
    XCTAssertNil(try s.userForSession(tokenHash: Token.hash(r.created.token, key: try s.tokenKey())))
    s.close()
    let none = try XCTUnwrap(try RevokeSessions.run(try store(), .allOf(user: "alice")))
    XCTAssertEqual(none.revoked, [])
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["session.created", "session.revoked", "session.revoked"])
    XCTAssertEqual(e[2].detail.first { $0.key == "session" }?.value, "none")
  }

  func testRevokingAnUnknownDeviceChangesNothing() throws {
    _ = try TrustDevice.run(try store(), TrustDevice.Input(user: "alice", device: DeviceRequest(name: "phone"))) { _ in
    }
    XCTAssertThrowsError(try RevokeDevices.run(try store(), RevokeDevices.Input(user: "alice", id: "00000000"))) {
      XCTAssertEqual($0 as? DevicesError, .notFound("00000000"))
    }
    let all = try RevokeDevices.run(try store(), RevokeDevices.Input(user: "alice"))
    XCTAssertEqual(all.revoked.map(\.name), ["phone"])
    XCTAssertEqual(try events().map(\.name), ["device.trusted", "device.revoked"])
  }

  func testNewRecoveryCodesThatCannotBeShownLeaveTheOldSet() throws {
    let old = try GenerateRecoveryCodes.run(try store(), GenerateRecoveryCodes.Input(user: "alice", count: 2)) { _ in }
    XCTAssertFalse(old.replaced)
    struct Unwritable: Error {}
    XCTAssertThrowsError(
      try GenerateRecoveryCodes.run(try store(), GenerateRecoveryCodes.Input(user: "alice", count: 2)) { _ in
        throw Unwritable()
      })
    XCTAssertEqual(try events().map(\.name), ["recovery.generated"])
    let used = try UseRecoveryCode.run(try store(), UseRecoveryCode.Input(user: "alice", code: old.codes[0]))
    XCTAssertEqual(used.outcome, .accepted(remaining: 1), "the old set still works")
  }

  func testResyncAndDiagnoseRecordWhatTheyFound() throws {
    let r = try ResyncAuthenticator.run(
      try store(), ResyncAuthenticator.Input(user: "alice", code1: code(totp, s0 + 10), code2: code(totp, s0 + 11)))
    XCTAssertEqual(r.offset, 11)
    XCTAssertThrowsAccountsError(
      try ResyncAuthenticator.run(
        try store(), ResyncAuthenticator.Input(user: "alice", code1: "123456", code2: "123456")),
      .resyncFailed)
    let d = try DiagnoseCode.run(try store(), DiagnoseCode.Input(user: "alice", code: code(totp, s0 - 4)))
    guard case .matches(let m) = d.outcome else { return XCTFail("\(d.outcome)") }
    XCTAssertEqual(m.first?.stepOffset, -4)
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["authenticator.resynced", "authenticator.resync_failed", "diagnose.run"])
    XCTAssertEqual(e.map(\.outcome), [.success, .failure, .failure])
    XCTAssertEqual(try alice().failures, 2, "a failed resync and a diagnose each count")
  }

  func testAChallengeCodeIsLiveOnlyOnceShownAndWithdrawnWhenUndelivered() throws {
    struct Unwritable: Error {}
    XCTAssertThrowsError(
      try SendChallenge.run(try store(), SendChallenge.Input(user: "alice", byCommand: false)) { _ in throw Unwritable()
      })
    XCTAssertFalse(try Challenges.hasLive(try alice(), now: t0), "not shown: not live")

    var shown: String? = nil
    let sent = try SendChallenge.run(try store(), SendChallenge.Input(user: "alice", byCommand: false)) { r in
      if case .issued(let code, _) = r.outcome { shown = code }
    }
    guard case .issued(let code, _) = sent.outcome else { return XCTFail("\(sent.outcome)") }
    XCTAssertEqual(shown, code)
    XCTAssertEqual(try verify(code).result, .accepted(.challenge))

    let mailed = try SendChallenge.run(try store(), SendChallenge.Input(user: "alice", byCommand: true)) { _ in
      XCTFail("a code for a command is not shown")
    }
    guard case .issued(_, let challenge) = mailed.outcome else { return XCTFail("\(mailed.outcome)") }
    XCTAssertTrue(try Challenges.hasLive(try alice(), now: t0), "committed before delivery")
    try SendChallenge.withdraw(try store(), user: "alice", challengeID: challenge.id)
    XCTAssertFalse(try Challenges.hasLive(try alice(), now: t0))
    XCTAssertEqual(
      try events().map(\.name), ["challenge.sent", "verify.success", "challenge.sent", "challenge.undelivered"])
  }

  func testReadingSecretsIsRecordedPerAuthenticatorOnlyOnceShown() throws {
    var u = try alice()
    u.authenticators.append(hotpAuth())
    try seed(u)
    struct Unwritable: Error {}
    XCTAssertThrowsError(
      try RevealSecrets.run(try store(), RevealSecrets.Input(user: "alice", purpose: .exportURIs)) { _ in
        throw Unwritable()
      })
    let all = try RevealSecrets.run(try store(), RevealSecrets.Input(user: "alice", purpose: .exportURIs)) { _ in }
    XCTAssertEqual(all.outcome.map(\.id), [totp.id, "bbbbbbb1"])
    let one = try RevealSecrets.run(try store(), RevealSecrets.Input(user: "alice", purpose: .showCode)) { _ in }
    XCTAssertEqual(one.outcome.map(\.id), [totp.id], "a code: the first active authenticator")
    XCTAssertThrowsAccountsError(
      try RevealSecrets.run(
        try store(), RevealSecrets.Input(user: "alice", authenticatorID: "ffffffff", purpose: .showCode)
      ) { _ in },
      .authenticatorNotFound("ffffffff"))
    XCTAssertEqual(try events(after: 2).map(\.name), ["secret.exported", "secret.exported", "code.shown"])

    let export = try ExportUser.run(try store(), user: "alice") { _ in }
    XCTAssertEqual(
      export.events.map(\.name), ["user.created", "user.created", "secret.exported", "secret.exported", "code.shown"])
    XCTAssertEqual(try events(after: 5).map(\.name), ["user.exported"])
  }

  func testEnrolmentOfANewUserIsStoredOnlyOnceItsSecretWasShown() throws {
    func input(_ name: String) -> StartEnrolment.Input {
      StartEnrolment.Input(
        user: name, type: .totp, algorithm: .sha1, digits: 6, period: 30, issuer: "x", label: nil, secret: nil,
        counter: 0, activate: false)
    }
    struct Unwritable: Error {}
    XCTAssertThrowsError(try StartEnrolment.run(try store(), input("bob")) { _ in throw Unwritable() })
    XCTAssertNil(try store(write: false).userIfExists("bob"))
    let r = try StartEnrolment.run(try store(), input("bob")) { _ in }
    XCTAssertEqual(r.authenticator.state, .pending)
    _ = try StartEnrolment.run(try store(), input("bob")) { _ in }
    XCTAssertEqual(try store(write: false).user("bob").authenticators.count, 2)
    XCTAssertEqual(try events().map(\.name), ["user.created", "enrol.started", "enrol.started"])
  }

  func testImportsCreateUsersAndRefuseASecretTwiceWithNothingStored() throws {
    let bobURI = try OTPAuthURI(parsing: "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP")
    let aliceURI = try OTPAuthURI(parsing: "otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    XCTAssertEqual(aliceURI.secret, rfcSeed)
    XCTAssertThrowsError(
      try ImportURIs.run(
        try store(),
        [ImportURIs.Entry(line: 1, user: "bob", uri: bobURI), ImportURIs.Entry(line: 2, user: "alice", uri: aliceURI)])
    ) { XCTAssertEqual($0 as? ImportError, .secretHeld(line: 2, user: "alice", authenticatorID: totp.id)) }
    XCTAssertNil(try store(write: false).userIfExists("bob"), "nothing was imported")
    let r = try ImportURIs.run(try store(), [ImportURIs.Entry(line: 1, user: "bob", uri: bobURI)])
    XCTAssertEqual(r.created, 1)

    let ga = try GoogleAuthenticatorFile(parsing: Array("JBSWY3DPEHPK3PXP\n\" TOTP_AUTH\n12345678\n".utf8))
    XCTAssertThrowsError(try ImportGoogleAuthenticator.run(try store(), .init(user: "bob", file: ga, issuer: "x"))) {
      guard case .secretHeld(nil, "bob", _)? = $0 as? ImportError else { return XCTFail("\($0)") }
    }
    let g = try ImportGoogleAuthenticator.run(try store(), .init(user: "carol", file: ga, issuer: "x"))
    XCTAssertTrue(g.userCreated)
    XCTAssertEqual(try RecoveryCodes.remaining(try store(write: false).user("carol")), 1, "the scratch code")
    XCTAssertEqual(try events().map(\.name), ["user.created", "enrol.imported", "user.created", "enrol.imported"])
  }

  // MARK: User changes

  func testDisablingRevokesAccessAndRecordsEachStepOnce() throws {
    let session = try CreateSession.run(try store(), CreateSession.Input(user: "alice", session: SessionRequest())) {
      _ in
    }
    let r = try ChangeUser.run(try store(), ChangeUser.Input(user: "alice", change: .disable))
    XCTAssertTrue(r.changed)
    XCTAssertTrue(try alice().disabled)
    XCTAssertEqual(try Sessions.load(try alice()), [])
    let again = try ChangeUser.run(try store(), ChangeUser.Input(user: "alice", change: .disable))
    XCTAssertFalse(again.changed, "already disabled: nothing written")
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["session.created", "session.revoked", "user.disabled"])
    XCTAssertEqual(e[1].detail.first { $0.key == "session" }?.value, session.created.session.id)
  }

  func testPolicyChangeKeepsWhatIsNotGiven() throws {
    _ = try ChangeUser.run(
      try store(), ChangeUser.Input(user: "alice", change: .policy(requireMFA: true, role: "ops", clearRole: false)))
    let r = try ChangeUser.run(
      try store(), ChangeUser.Input(user: "alice", change: .policy(requireMFA: nil, role: nil, clearRole: true)))
    XCTAssertEqual(r.policy, UserPolicy(requireMFA: true, role: nil))
    XCTAssertEqual(try events().map(\.name), ["user.policy", "user.policy"])
  }

  func testRemovedUserIsGoneButNamedUntilErased() throws {
    let removed = try RemoveUser.run(try store(), RemoveUser.Input(user: "alice"))
    XCTAssertNil(try store(write: false).userIfExists("alice"))
    XCTAssertEqual(try store(write: false).userNames()[removed.id], "alice")
    let erased = try EraseUser.run(try store(), user: "alice")
    XCTAssertNil(erased.user)
    XCTAssertEqual(erased.ids, [removed.id])
    XCTAssertNil(try store(write: false).userNames()[removed.id])
    XCTAssertEqual(try events().map(\.name), ["user.removed", "user.erased"])
    XCTAssertThrowsAccountsError(try EraseUser.run(try store(), user: "alice"), .userNotFound("alice"))
  }

  // MARK: Audit log

  func testPruneKeepsAVerifiableTailAndResetStartsAfresh() throws {
    _ = try verify(code(totp, s0), now: t0)
    _ = try verify(code(totp, s0 + 10), now: t0 + 300)
    XCTAssertEqual(try PruneAudit.run(try store(), before: 0).pruned, 0, "nothing older: nothing written")
    XCTAssertEqual(try PruneAudit.run(try store(), before: t0 + 1).pruned, 2)
    let kept = try events(after: 0)
    XCTAssertEqual(kept.map(\.name), ["verify.success", "audit.pruned"])
    XCTAssertEqual(kept[1].detail.first { $0.key == "records" }?.value, "2")
    let discarded = try ResetAudit.run(try store())
    XCTAssertEqual(discarded, kept.last?.seq)
    XCTAssertEqual(try events(after: 0).map(\.name), ["audit.reset"])
  }

  // MARK: Backups

  func testBackupEventsAndTheFloorsARestoreRaises() throws {
    try RecordBackup.created(
      try store(), RecordBackup.Created(path: "/b/1.mfab", size: 10, users: 1, separatePassphrase: false))
    // The vault a restore replaces has used a later step than the backup.
    let replacedPath = dir + "/replaced"
    try VaultFile.create(path: replacedPath, keys: [key], limits: .minimum, now: t0, lockTimeout: 1)
    var later = try alice()
    later.authenticators[0].lastStep = UInt64(s0 + 5)
    let other = AccountStore(
      storage: FileVaultStorage(try VaultFile(path: replacedPath, key: key, mode: .exclusive, lockTimeout: 1)), now: t0,
      actor: Actor(name: "test"))
    try other.save(later, event: AccountEvent(.userCreated, user: later))
    try other.commit()

    let restored = try store()
    let replaced = FileVaultStorage(try VaultFile(path: replacedPath, key: key, mode: .shared, lockTimeout: 1))
    let r = try RecordBackup.restored(
      into: restored, replaced: replaced, RecordBackup.Restored(path: "/b/1.mfab", backupCreated: t0 - 60, force: true))
    replaced.close()
    try restored.commit()
    XCTAssertEqual(r.raised.authenticators, 1)
    XCTAssertEqual(try alice().authenticators[0].lastStep, UInt64(s0 + 5))
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["backup.created", "backup.restored"])
    XCTAssertEqual(e[0].detail.first { $0.key == "protection" }?.value, "vault-keys")
    XCTAssertEqual(e[1].detail.first { $0.key == "floors_raised" }?.value, "1")
    XCTAssertEqual(e[1].detail.first { $0.key == "force" }?.value, "yes")
  }

  // MARK: Key slots

  func testKeySlotChangeIsCommittedWithItsEvent() throws {
    let extra = try SecureBytes.random(count: 32)
    let r = try ChangeKeySlots.run(try store(), .addKeyFile(extra, created: false))
    XCTAssertEqual(r.slots.count, 2)
    // The new key opens the vault, and the log says so.
    let v = try VaultFile(path: path, key: .keyFile(extra), mode: .shared, lockTimeout: 1)
    v.close()
    let e = try events()
    XCTAssertEqual(e.map(\.name), ["vault.key_file_added"])
    XCTAssertEqual(e[0].detail.first { $0.key == "created" }?.value, "false")
    XCTAssertNil(e[0].userID)

    let removed = try ChangeKeySlots.run(try store(), .removeKeyFile(extra))
    XCTAssertEqual(removed.slots.count, 1)
    XCTAssertNotNil(removed.removed)
    XCTAssertThrowsError(try VaultFile(path: path, key: .keyFile(extra), mode: .shared, lockTimeout: 1))
    XCTAssertEqual(try events().map(\.name), ["vault.key_file_added", "vault.key_file_removed"])
  }

  // MARK: The gate and the code's reading, each in one place

  func testAdmissionRefusesDisabledAndLockedUsersInOnePlace() {
    var u = user([totp])
    XCTAssertEqual(Lockout.admit(&u, now: t0), .admitted)
    u.disabled = true
    XCTAssertEqual(Lockout.admit(&u, now: t0), .disabled)
    XCTAssertEqual(u.failures, 0, "a disabled user is refused with nothing changed")
    XCTAssertEqual(
      Lockout.admit(&u, now: t0, allowDisabled: true), .admitted, "resync and diagnose work on disabled users")
    u.disabled = false
    u.failures = 5
    u.lockedUntil = t0 + 60
    XCTAssertEqual(Lockout.admit(&u, now: t0), .locked(until: t0 + 120), "a try while locked is a further failure")
    XCTAssertEqual(u.failures, 6)
    XCTAssertEqual(Lockout.admit(&u, now: t0 + 120), .admitted, "the lock ends")
  }

  func testCodesAreReadOneWay() {
    XCTAssertEqual(Verifier.withoutSpaces(" 123 456 "), "123456")
    XCTAssertEqual(Verifier.normalised("123 456"), "123456")
    XCTAssertEqual(Verifier.normalised("1234 5678"), "12345678")
    XCTAssertNil(Verifier.normalised("1234567"))
    XCTAssertNil(Verifier.normalised("12345a"))
    XCTAssertNil(Verifier.normalised("１２３４５６"), "full-width digits are not digits")
    XCTAssertFalse(Verifier.isDigits(""))
  }

  // MARK: Event names

  /// The names are a stored format (the log, `audit list --event`, docs): pinned here, so
  /// that a renamed case shows up as a failing test, not as a silently different log.
  func testEventNamesAreTheLogsNames() {
    XCTAssertEqual(
      AuditEventName.allCases.map(\.rawValue).sorted(),
      [
        "audit.pruned", "audit.reset", "authenticator.removed", "authenticator.resync_failed",
        "authenticator.resync_locked", "authenticator.resynced", "backup.created", "backup.restored", "challenge.sent",
        "challenge.throttled", "challenge.undelivered", "code.shown", "device.evicted", "device.rejected",
        "device.revoked", "device.trusted", "diagnose.locked", "diagnose.run", "enrol.confirmed", "enrol.imported",
        "enrol.rejected", "enrol.started", "recovery.failure", "recovery.generated", "recovery.used",
        "secret.exported", "session.created", "session.evicted", "session.rejected", "session.revoked",
        "user.created", "user.disabled", "user.enabled", "user.erased", "user.exported", "user.policy",
        "user.removed", "user.unlocked", "vault.key_file_added", "vault.key_file_removed",
        "vault.passphrase_changed", "vault.rekeyed", "verify.failure", "verify.locked", "verify.refused",
        "verify.replay", "verify.success",
      ])
  }
}

/// The layering, read from the sources.
final class LayeringTests: XCTestCase {
  /// Sources/<target>/ files, as (path, text).
  func sources(_ target: String) throws -> [(path: String, text: String)] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources").appendingPathComponent(target)
    let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    XCTAssertFalse(files.isEmpty, "no sources found under \(root.path)")
    return try files.sorted().map { ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)) }
  }

  func testTheCLIReachesStorageOnlyThroughTheStore() throws {
    for (path, text) in try sources("mfactl") {
      for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        XCTAssertFalse(line.contains("store.vault") || line.contains(".storage."), "mfactl/\(path):\(n + 1): \(line)")
      }
    }
  }

  func testTheCLIBuildsNoEventFromAString() throws {
    // `AccountEvent("x.y"` or `AccountEvent(` then the string on the next line.
    let literal = try NSRegularExpression(pattern: #"AccountEvent\(\s*""#)
    for (path, text) in try sources("mfactl") {
      let hits = literal.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
      XCTAssertEqual(hits, 0, "mfactl/\(path) names an audit event as a string: use AuditEventName")
    }
  }

  func testTheCLIChangesStateOnlyThroughUseCases() throws {
    for (path, text) in try sources("mfactl") {
      for call in ["store.save(", "store.record(", "store.commit(", "store.remove(", "store.erase(", ".appendAudit("] {
        XCTAssertFalse(
          text.contains(call), "mfactl/\(path) calls \(call)...): that belongs in a use case (Accounts/UseCases)")
      }
    }
  }

  func testOnlyTheAdapterNamesTheVaultFile() throws {
    for (path, text) in try sources("Accounts") where path != "Storage/FileVaultStorage.swift" {
      XCTAssertFalse(text.contains("VaultFile"), "Accounts/\(path) names VaultFile: go through AccountStorage")
    }
  }
}
