// `vault passwd | add-key-file | remove-key-file | rekey`: a change of the secrets that
// unlock the state, committed together with its event.
import Sodium
import Vault

public enum ChangeKeySlots {
  public enum Change {
    /// Replaces the passphrase slot(s); `kdf` names the cost level for the audit.
    case setPassphrase(SecureBytes, limits: Sodium.PwhashLimits, kdf: String)
    /// Adds a key-file slot; `created` says whether the file was made for it.
    case addKeyFile(SecureBytes, created: Bool)
    /// Removes the slot of this key file (nil: the only key-file slot).
    case removeKeyFile(SecureBytes?)
    /// A new data key, wrapped for each of `keys` (which replace every slot).
    case rekey(keys: [UnlockKey], limits: [SlotKind: Sodium.PwhashLimits])
  }

  public struct Result {
    /// The slots after the change.
    public var slots: [KeySlot]
    /// The slot `removeKeyFile` removed.
    public var removed: KeySlot?
  }

  public static func run(_ store: AccountStore, _ change: Change) throws -> Result {
    let storage = store.storage
    var removed: KeySlot? = nil
    let event: AccountEvent
    switch change {
    case .setPassphrase(let passphrase, let limits, let kdf):
      try storage.setPassphrase(passphrase, limits: limits)
      event = AccountEvent(.vaultPassphraseChanged, detail: ["kdf": kdf])
    case .addKeyFile(let key, let created):
      try storage.addKeySlot(.keyFile(key), limits: .moderate)
      event = AccountEvent(.vaultKeyFileAdded, detail: ["created": String(created)])
    case .removeKeyFile(let key):
      let slot = try storage.removeKeyFileSlot(key)
      removed = slot
      event = AccountEvent(.vaultKeyFileRemoved, detail: ["fingerprint": slot.fingerprintHex])
    case .rekey(let keys, let limits):
      try storage.rekey(keys: keys, limits: limits)
      event = AccountEvent(.vaultRekeyed, detail: ["slots": String(keys.count)])
    }
    store.record(event)
    try store.commit()
    return Result(slots: storage.keySlots, removed: removed)
  }
}

extension AccountStore {
  /// The key slots as they are now (staged changes included).
  public var keySlots: [KeySlot] { storage.keySlots }
}
