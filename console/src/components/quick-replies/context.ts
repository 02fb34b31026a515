import { createContext } from 'preact';
import type { QuickRepliesModel } from '../../models/quick-replies';

/** The quick replies the reply box offers; absent (null) where there are none, such as in tests of the composer alone. */
export const QuickRepliesContext = createContext<QuickRepliesModel | null>(null);
