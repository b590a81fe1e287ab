import { busContract } from './bus-contract.ts';
import { KafkaBus } from '../../../services/bus/kafka/kafka-bus.ts';
import { kafkaBrokers } from '../../support/isolation.ts';
import { testLogger } from '../../support/logger.ts';

busContract('[kafka]', () => {
  const brokers = kafkaBrokers();
  return Promise.resolve({
    bus: new KafkaBus({ brokers, logger: testLogger }),
    childEnv: { BUS: 'kafka', KAFKA_BROKERS: brokers.join(',') },
    cleanup: () => Promise.resolve(),
  });
});
