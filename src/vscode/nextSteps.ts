// Shows a failure's message with the buttons src/core/errorActions.ts decides, and runs the one
// the user picks. Every command that reports a failure goes through here, so the same state always
// offers the same ways out. The message goes through untrustedUi (outside text stays text); the
// buttons are the extension's own labels.
import * as vscode from 'vscode';
import { chosenStep, nextSteps, type ActionId, type Failure } from '../core/errorActions';
import { showErrorMessage } from './untrustedUi';

export interface NextStepContext {
  /** Where Show Log goes. */
  log: { show(): void };
  /** The campaign that Retry, Re-run, Resume and Query Events act on. */
  campaign?: { campaignId: string; demo?: boolean };
  /** The result Resume completes (else the campaign's last one). */
  resultId?: string;
  /** Show what arrived: opens the partial result. */
  showArrived?: () => void;
}

type Show = (message: string, ...items: string[]) => Thenable<string | undefined>;

/** Shows `message` (an error by default) with the failure's next steps; resolves to the step run. */
export async function reportWithNextSteps(
  message: string,
  failure: Failure,
  ctx: NextStepContext,
  show: Show = showErrorMessage,
): Promise<ActionId | undefined> {
  const steps = nextSteps(failure);
  const id = chosenStep(steps, await show(message, ...steps.map((s) => s.label)));
  if (id !== undefined) await runStep(id, ctx);
  return id;
}

async function runStep(id: ActionId, ctx: NextStepContext): Promise<void> {
  const campaign = ctx.campaign;
  switch (id) {
    case 'setApiKey':
      await vscode.commands.executeCommand('np6.setApiKey');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'np6.baseUrl');
      return;
    case 'tryDemo':
      await vscode.commands.executeCommand('np6.tryDemo');
      return;
    case 'addCampaign':
      await vscode.commands.executeCommand('np6.addCampaign');
      return;
    case 'queryEvents':
      await vscode.commands.executeCommand(
        'np6.queryEvents',
        campaign ? { campaignId: campaign.campaignId } : undefined,
      );
      return;
    case 'retry':
    case 'rerun':
      if (campaign) await vscode.commands.executeCommand('np6.rerunLastQuery', campaign);
      return;
    case 'resume':
      if (campaign) {
        await vscode.commands.executeCommand('np6.resume', {
          ...campaign,
          ...(ctx.resultId !== undefined ? { resultId: ctx.resultId } : {}),
        });
      }
      return;
    case 'showLog':
      ctx.log.show();
      return;
    case 'showArrived':
      ctx.showArrived?.();
      return;
  }
}
