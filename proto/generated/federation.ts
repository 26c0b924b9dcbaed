import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AggregateChunk as _hefl_v1_AggregateChunk, AggregateChunk__Output as _hefl_v1_AggregateChunk__Output } from './hefl/v1/AggregateChunk.js';
import type { AggregateDecrypted as _hefl_v1_AggregateDecrypted, AggregateDecrypted__Output as _hefl_v1_AggregateDecrypted__Output } from './hefl/v1/AggregateDecrypted.js';
import type { AggregateReady as _hefl_v1_AggregateReady, AggregateReady__Output as _hefl_v1_AggregateReady__Output } from './hefl/v1/AggregateReady.js';
import type { ContributionChunk as _hefl_v1_ContributionChunk, ContributionChunk__Output as _hefl_v1_ContributionChunk__Output } from './hefl/v1/ContributionChunk.js';
import type { CoordinatorEvent as _hefl_v1_CoordinatorEvent, CoordinatorEvent__Output as _hefl_v1_CoordinatorEvent__Output } from './hefl/v1/CoordinatorEvent.js';
import type { DecryptedChunk as _hefl_v1_DecryptedChunk, DecryptedChunk__Output as _hefl_v1_DecryptedChunk__Output } from './hefl/v1/DecryptedChunk.js';
import type { DecryptionRequested as _hefl_v1_DecryptionRequested, DecryptionRequested__Output as _hefl_v1_DecryptionRequested__Output } from './hefl/v1/DecryptionRequested.js';
import type { DecryptionShareChunk as _hefl_v1_DecryptionShareChunk, DecryptionShareChunk__Output as _hefl_v1_DecryptionShareChunk__Output } from './hefl/v1/DecryptionShareChunk.js';
import type { EvaluationReceipt as _hefl_v1_EvaluationReceipt, EvaluationReceipt__Output as _hefl_v1_EvaluationReceipt__Output } from './hefl/v1/EvaluationReceipt.js';
import type { EvaluationReport as _hefl_v1_EvaluationReport, EvaluationReport__Output as _hefl_v1_EvaluationReport__Output } from './hefl/v1/EvaluationReport.js';
import type { FailureReport as _hefl_v1_FailureReport, FailureReport__Output as _hefl_v1_FailureReport__Output } from './hefl/v1/FailureReport.js';
import type { FederationClient as _hefl_v1_FederationClient, FederationDefinition as _hefl_v1_FederationDefinition } from './hefl/v1/Federation.js';
import type { FetchAggregateRequest as _hefl_v1_FetchAggregateRequest, FetchAggregateRequest__Output as _hefl_v1_FetchAggregateRequest__Output } from './hefl/v1/FetchAggregateRequest.js';
import type { JobAccepted as _hefl_v1_JobAccepted, JobAccepted__Output as _hefl_v1_JobAccepted__Output } from './hefl/v1/JobAccepted.js';
import type { JobFailed as _hefl_v1_JobFailed, JobFailed__Output as _hefl_v1_JobFailed__Output } from './hefl/v1/JobFailed.js';
import type { JobFinished as _hefl_v1_JobFinished, JobFinished__Output as _hefl_v1_JobFinished__Output } from './hefl/v1/JobFinished.js';
import type { JoinRequest as _hefl_v1_JoinRequest, JoinRequest__Output as _hefl_v1_JoinRequest__Output } from './hefl/v1/JoinRequest.js';
import type { KeySetupComplete as _hefl_v1_KeySetupComplete, KeySetupComplete__Output as _hefl_v1_KeySetupComplete__Output } from './hefl/v1/KeySetupComplete.js';
import type { KeySetupMessage as _hefl_v1_KeySetupMessage, KeySetupMessage__Output as _hefl_v1_KeySetupMessage__Output } from './hefl/v1/KeySetupMessage.js';
import type { KeySetupRequested as _hefl_v1_KeySetupRequested, KeySetupRequested__Output as _hefl_v1_KeySetupRequested__Output } from './hefl/v1/KeySetupRequested.js';
import type { RoundStarted as _hefl_v1_RoundStarted, RoundStarted__Output as _hefl_v1_RoundStarted__Output } from './hefl/v1/RoundStarted.js';
import type { SignedValue as _hefl_v1_SignedValue, SignedValue__Output as _hefl_v1_SignedValue__Output } from './hefl/v1/SignedValue.js';
import type { SubmitReceipt as _hefl_v1_SubmitReceipt, SubmitReceipt__Output as _hefl_v1_SubmitReceipt__Output } from './hefl/v1/SubmitReceipt.js';
import type { UpdateChunk as _hefl_v1_UpdateChunk, UpdateChunk__Output as _hefl_v1_UpdateChunk__Output } from './hefl/v1/UpdateChunk.js';
import type { UpdateMetadata as _hefl_v1_UpdateMetadata, UpdateMetadata__Output as _hefl_v1_UpdateMetadata__Output } from './hefl/v1/UpdateMetadata.js';
import type { VerticalAddress as _hefl_v1_VerticalAddress, VerticalAddress__Output as _hefl_v1_VerticalAddress__Output } from './hefl/v1/VerticalAddress.js';
import type { VerticalChunk as _hefl_v1_VerticalChunk, VerticalChunk__Output as _hefl_v1_VerticalChunk__Output } from './hefl/v1/VerticalChunk.js';
import type { VerticalFederationClient as _hefl_v1_VerticalFederationClient, VerticalFederationDefinition as _hefl_v1_VerticalFederationDefinition } from './hefl/v1/VerticalFederation.js';
import type { VerticalFetchRequest as _hefl_v1_VerticalFetchRequest, VerticalFetchRequest__Output as _hefl_v1_VerticalFetchRequest__Output } from './hefl/v1/VerticalFetchRequest.js';
import type { VerticalNotice as _hefl_v1_VerticalNotice, VerticalNotice__Output as _hefl_v1_VerticalNotice__Output } from './hefl/v1/VerticalNotice.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hefl: {
    v1: {
      AggregateChunk: MessageTypeDefinition<_hefl_v1_AggregateChunk, _hefl_v1_AggregateChunk__Output>
      AggregateDecrypted: MessageTypeDefinition<_hefl_v1_AggregateDecrypted, _hefl_v1_AggregateDecrypted__Output>
      AggregateReady: MessageTypeDefinition<_hefl_v1_AggregateReady, _hefl_v1_AggregateReady__Output>
      ContributionChunk: MessageTypeDefinition<_hefl_v1_ContributionChunk, _hefl_v1_ContributionChunk__Output>
      CoordinatorEvent: MessageTypeDefinition<_hefl_v1_CoordinatorEvent, _hefl_v1_CoordinatorEvent__Output>
      DecryptedChunk: MessageTypeDefinition<_hefl_v1_DecryptedChunk, _hefl_v1_DecryptedChunk__Output>
      DecryptionRequested: MessageTypeDefinition<_hefl_v1_DecryptionRequested, _hefl_v1_DecryptionRequested__Output>
      DecryptionShareChunk: MessageTypeDefinition<_hefl_v1_DecryptionShareChunk, _hefl_v1_DecryptionShareChunk__Output>
      EvaluationReceipt: MessageTypeDefinition<_hefl_v1_EvaluationReceipt, _hefl_v1_EvaluationReceipt__Output>
      EvaluationReport: MessageTypeDefinition<_hefl_v1_EvaluationReport, _hefl_v1_EvaluationReport__Output>
      FailureCode: EnumTypeDefinition
      FailurePhase: EnumTypeDefinition
      FailureReport: MessageTypeDefinition<_hefl_v1_FailureReport, _hefl_v1_FailureReport__Output>
      Federation: SubtypeConstructor<typeof grpc.Client, _hefl_v1_FederationClient> & { service: _hefl_v1_FederationDefinition }
      FetchAggregateRequest: MessageTypeDefinition<_hefl_v1_FetchAggregateRequest, _hefl_v1_FetchAggregateRequest__Output>
      JobAccepted: MessageTypeDefinition<_hefl_v1_JobAccepted, _hefl_v1_JobAccepted__Output>
      JobFailed: MessageTypeDefinition<_hefl_v1_JobFailed, _hefl_v1_JobFailed__Output>
      JobFinished: MessageTypeDefinition<_hefl_v1_JobFinished, _hefl_v1_JobFinished__Output>
      JoinRequest: MessageTypeDefinition<_hefl_v1_JoinRequest, _hefl_v1_JoinRequest__Output>
      KeySetupComplete: MessageTypeDefinition<_hefl_v1_KeySetupComplete, _hefl_v1_KeySetupComplete__Output>
      KeySetupMessage: MessageTypeDefinition<_hefl_v1_KeySetupMessage, _hefl_v1_KeySetupMessage__Output>
      KeySetupRequested: MessageTypeDefinition<_hefl_v1_KeySetupRequested, _hefl_v1_KeySetupRequested__Output>
      KeySetupStep: EnumTypeDefinition
      RoundKind: EnumTypeDefinition
      RoundStarted: MessageTypeDefinition<_hefl_v1_RoundStarted, _hefl_v1_RoundStarted__Output>
      SignedValue: MessageTypeDefinition<_hefl_v1_SignedValue, _hefl_v1_SignedValue__Output>
      SubmitReceipt: MessageTypeDefinition<_hefl_v1_SubmitReceipt, _hefl_v1_SubmitReceipt__Output>
      UpdateChunk: MessageTypeDefinition<_hefl_v1_UpdateChunk, _hefl_v1_UpdateChunk__Output>
      UpdateMetadata: MessageTypeDefinition<_hefl_v1_UpdateMetadata, _hefl_v1_UpdateMetadata__Output>
      VerticalAddress: MessageTypeDefinition<_hefl_v1_VerticalAddress, _hefl_v1_VerticalAddress__Output>
      VerticalChunk: MessageTypeDefinition<_hefl_v1_VerticalChunk, _hefl_v1_VerticalChunk__Output>
      VerticalFederation: SubtypeConstructor<typeof grpc.Client, _hefl_v1_VerticalFederationClient> & { service: _hefl_v1_VerticalFederationDefinition }
      VerticalFetchRequest: MessageTypeDefinition<_hefl_v1_VerticalFetchRequest, _hefl_v1_VerticalFetchRequest__Output>
      VerticalKind: EnumTypeDefinition
      VerticalNotice: MessageTypeDefinition<_hefl_v1_VerticalNotice, _hefl_v1_VerticalNotice__Output>
    }
  }
}

