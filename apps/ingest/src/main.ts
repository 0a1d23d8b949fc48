import { runService } from '@maintwatch/runtime';
import { ingestService } from './ingest.service';

void runService(ingestService);
