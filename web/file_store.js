// Blobs kept in IndexedDB under a string key. localStorage holds only strings, so a file waiting
// to be sent lives here instead, where it survives a reload just the same. Plain IndexedDB, one
// object store of Blobs; every call resolves once its transaction has completed.

const STORE = 'files';
const VERSION = 1;

export class FileStore {
  constructor(name) {
    this.name = name;
    this.db = null; // Promise of the open database
  }

  open() {
    if (!this.db) {
      this.db = new Promise((resolve, reject) => {
        const req = indexedDB.open(this.name, VERSION);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => {
          const db = req.result;
          // Another tab upgrading the database must not be blocked by this one.
          db.onversionchange = () => {
            db.close();
            this.db = null;
          };
          resolve(db);
        };
        req.onerror = () => reject(req.error);
      });
      // A failed open (storage disabled, say) is tried again on the next call.
      this.db.catch(() => (this.db = null));
    }
    return this.db;
  }

  // Runs one request in its own transaction; resolves to its result once the transaction is
  // complete, so a put that resolved is on disk.
  async run(mode, request, options) {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode, options);
      const req = request(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('the IndexedDB transaction was aborted'));
    });
  }

  // 'strict': the file is what the user was promised would be sent, so it must outlive a crash.
  put(key, blob) {
    return this.run('readwrite', (s) => s.put(blob, key), { durability: 'strict' });
  }

  // Resolves to the Blob, or undefined if there is none under the key.
  get(key) {
    return this.run('readonly', (s) => s.get(key));
  }

  delete(key) {
    return this.run('readwrite', (s) => s.delete(key));
  }

  keys() {
    return this.run('readonly', (s) => s.getAllKeys());
  }
}
