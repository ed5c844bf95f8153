/** The fields template data is made of, checked as the templates need them (money the platform can format). */
import { z } from 'zod';
import { isSupportedCurrency, MAX_PRICE_MINOR } from '../../../shared/money';

export const orderId = z.string().min(1).max(128);
export const currency = z.string().refine(isSupportedCurrency, { message: 'not a supported ISO 4217 currency' });
/** An amount in minor units; large enough for any order total, never a fraction. */
export const amountMinor = z.number().int().min(0).max(MAX_PRICE_MINOR * 1000);
