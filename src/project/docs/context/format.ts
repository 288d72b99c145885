import { DeploymentEnvironment } from '../../../core/deployment-environment';

/** Formatting shared by the docs contexts: amounts, titles and Markdown table cells. */

/** A US dollar amount with cents. */
export const usd = (value: number) => value.toFixed(2);
/** An environment's name as a title ("Staging"). */
export const title = (env: DeploymentEnvironment) => env.charAt(0).toUpperCase() + env.slice(1);
/** Text safe in a Markdown table cell. */
export const cellText = (text: string) => text.replace(/\|/g, '\\|');
