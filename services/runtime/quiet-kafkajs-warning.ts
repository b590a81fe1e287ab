// kafkajs 2.2.4 on Node >= 23 emits a harmless TimeoutNegativeWarning on every connection
// (tulios/kafkajs#1751, open upstream). In logs it reads like a fault, so only it is hidden;
// every other warning still prints. Imported first by every entry point that uses kafkajs.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') for (const print of printWarning) print(warning);
});
