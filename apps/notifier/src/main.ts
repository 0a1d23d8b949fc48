import { runService } from '@maintwatch/runtime';
import { notifierService } from './notifier.service';

void runService(notifierService);
