/** The error `fn` throws, which must be a `type`; anything else it throws, or a return, fails the test. */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
