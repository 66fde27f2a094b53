/** The fault tests stop and kill shared services, so the `faults` project runs them alone. */
import { describeFaultSuite } from '../distributed/fault-suite.ts';

describeFaultSuite();
