/** Number formatting and price look-ups shared by the line items. */

/** Rounds a number of dollars to cents. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** The price of `key` in a price table, or an error naming the table and what it knows. */
export function priceOf(table: Record<string, number>, key: string, tableName: string): number {
  const price = table[key];
  if (price === undefined) {
    throw new Error(
      `the cost model has no price for ${key} (${tableName} knows ${Object.keys(table).join(', ')}); add it to src/core/cost-model/prices.ts or set monthlyBudgetUsd`,
    );
  }
  return price;
}

/** A number for prose: at most two decimals, no trailing zeros. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A count of millions for prose, e.g. `10 million`. */
export function millions(value: number): string {
  return `${num(value / 1e6)} million`;
}
