import { customType } from 'drizzle-orm/pg-core';

/** Raw bytes: the embedded log keeps message values exactly as produced, like Kafka does. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
