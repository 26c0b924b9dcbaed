// Original file: proto/federation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AggregateChunk as _hefl_v1_AggregateChunk, AggregateChunk__Output as _hefl_v1_AggregateChunk__Output } from '../../hefl/v1/AggregateChunk.js';
import type { ContributionChunk as _hefl_v1_ContributionChunk, ContributionChunk__Output as _hefl_v1_ContributionChunk__Output } from '../../hefl/v1/ContributionChunk.js';
import type { CoordinatorEvent as _hefl_v1_CoordinatorEvent, CoordinatorEvent__Output as _hefl_v1_CoordinatorEvent__Output } from '../../hefl/v1/CoordinatorEvent.js';
import type { DecryptedChunk as _hefl_v1_DecryptedChunk, DecryptedChunk__Output as _hefl_v1_DecryptedChunk__Output } from '../../hefl/v1/DecryptedChunk.js';
import type { DecryptionShareChunk as _hefl_v1_DecryptionShareChunk, DecryptionShareChunk__Output as _hefl_v1_DecryptionShareChunk__Output } from '../../hefl/v1/DecryptionShareChunk.js';
import type { EvaluationReceipt as _hefl_v1_EvaluationReceipt, EvaluationReceipt__Output as _hefl_v1_EvaluationReceipt__Output } from '../../hefl/v1/EvaluationReceipt.js';
import type { EvaluationReport as _hefl_v1_EvaluationReport, EvaluationReport__Output as _hefl_v1_EvaluationReport__Output } from '../../hefl/v1/EvaluationReport.js';
import type { FailureReport as _hefl_v1_FailureReport, FailureReport__Output as _hefl_v1_FailureReport__Output } from '../../hefl/v1/FailureReport.js';
import type { FetchAggregateRequest as _hefl_v1_FetchAggregateRequest, FetchAggregateRequest__Output as _hefl_v1_FetchAggregateRequest__Output } from '../../hefl/v1/FetchAggregateRequest.js';
import type { JoinRequest as _hefl_v1_JoinRequest, JoinRequest__Output as _hefl_v1_JoinRequest__Output } from '../../hefl/v1/JoinRequest.js';
import type { KeySetupMessage as _hefl_v1_KeySetupMessage, KeySetupMessage__Output as _hefl_v1_KeySetupMessage__Output } from '../../hefl/v1/KeySetupMessage.js';
import type { SubmitReceipt as _hefl_v1_SubmitReceipt, SubmitReceipt__Output as _hefl_v1_SubmitReceipt__Output } from '../../hefl/v1/SubmitReceipt.js';
import type { UpdateChunk as _hefl_v1_UpdateChunk, UpdateChunk__Output as _hefl_v1_UpdateChunk__Output } from '../../hefl/v1/UpdateChunk.js';

export interface FederationClient extends grpc.Client {
  FetchAggregate(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_AggregateChunk__Output>;
  FetchAggregate(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_AggregateChunk__Output>;
  fetchAggregate(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_AggregateChunk__Output>;
  fetchAggregate(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_AggregateChunk__Output>;
  
  FetchContributions(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_ContributionChunk__Output>;
  FetchContributions(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_ContributionChunk__Output>;
  fetchContributions(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_ContributionChunk__Output>;
  fetchContributions(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_ContributionChunk__Output>;
  
  FetchDecryptedAggregate(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_DecryptedChunk__Output>;
  FetchDecryptedAggregate(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_DecryptedChunk__Output>;
  fetchDecryptedAggregate(argument: _hefl_v1_FetchAggregateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_DecryptedChunk__Output>;
  fetchDecryptedAggregate(argument: _hefl_v1_FetchAggregateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_DecryptedChunk__Output>;
  
  Join(argument: _hefl_v1_JoinRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_CoordinatorEvent__Output>;
  Join(argument: _hefl_v1_JoinRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_CoordinatorEvent__Output>;
  join(argument: _hefl_v1_JoinRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_CoordinatorEvent__Output>;
  join(argument: _hefl_v1_JoinRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_CoordinatorEvent__Output>;
  
  ReportEvaluation(argument: _hefl_v1_EvaluationReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  ReportEvaluation(argument: _hefl_v1_EvaluationReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  ReportEvaluation(argument: _hefl_v1_EvaluationReport, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  ReportEvaluation(argument: _hefl_v1_EvaluationReport, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  reportEvaluation(argument: _hefl_v1_EvaluationReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  reportEvaluation(argument: _hefl_v1_EvaluationReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  reportEvaluation(argument: _hefl_v1_EvaluationReport, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  reportEvaluation(argument: _hefl_v1_EvaluationReport, callback: grpc.requestCallback<_hefl_v1_EvaluationReceipt__Output>): grpc.ClientUnaryCall;
  
  ReportFailure(argument: _hefl_v1_FailureReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  ReportFailure(argument: _hefl_v1_FailureReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  ReportFailure(argument: _hefl_v1_FailureReport, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  ReportFailure(argument: _hefl_v1_FailureReport, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  reportFailure(argument: _hefl_v1_FailureReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  reportFailure(argument: _hefl_v1_FailureReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  reportFailure(argument: _hefl_v1_FailureReport, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  reportFailure(argument: _hefl_v1_FailureReport, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  
  SubmitDecryptionShare(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  SubmitDecryptionShare(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  SubmitDecryptionShare(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  SubmitDecryptionShare(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  submitDecryptionShare(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  submitDecryptionShare(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  submitDecryptionShare(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  submitDecryptionShare(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_DecryptionShareChunk>;
  
  SubmitKeySetup(argument: _hefl_v1_KeySetupMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  SubmitKeySetup(argument: _hefl_v1_KeySetupMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  SubmitKeySetup(argument: _hefl_v1_KeySetupMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  SubmitKeySetup(argument: _hefl_v1_KeySetupMessage, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  submitKeySetup(argument: _hefl_v1_KeySetupMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  submitKeySetup(argument: _hefl_v1_KeySetupMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  submitKeySetup(argument: _hefl_v1_KeySetupMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  submitKeySetup(argument: _hefl_v1_KeySetupMessage, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientUnaryCall;
  
  SubmitUpdate(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  SubmitUpdate(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  SubmitUpdate(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  SubmitUpdate(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  submitUpdate(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  submitUpdate(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  submitUpdate(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  submitUpdate(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_UpdateChunk>;
  
}

export interface FederationHandlers extends grpc.UntypedServiceImplementation {
  FetchAggregate: grpc.handleServerStreamingCall<_hefl_v1_FetchAggregateRequest__Output, _hefl_v1_AggregateChunk>;
  
  FetchContributions: grpc.handleServerStreamingCall<_hefl_v1_FetchAggregateRequest__Output, _hefl_v1_ContributionChunk>;
  
  FetchDecryptedAggregate: grpc.handleServerStreamingCall<_hefl_v1_FetchAggregateRequest__Output, _hefl_v1_DecryptedChunk>;
  
  Join: grpc.handleServerStreamingCall<_hefl_v1_JoinRequest__Output, _hefl_v1_CoordinatorEvent>;
  
  ReportEvaluation: grpc.handleUnaryCall<_hefl_v1_EvaluationReport__Output, _hefl_v1_EvaluationReceipt>;
  
  ReportFailure: grpc.handleUnaryCall<_hefl_v1_FailureReport__Output, _hefl_v1_SubmitReceipt>;
  
  SubmitDecryptionShare: grpc.handleClientStreamingCall<_hefl_v1_DecryptionShareChunk__Output, _hefl_v1_SubmitReceipt>;
  
  SubmitKeySetup: grpc.handleUnaryCall<_hefl_v1_KeySetupMessage__Output, _hefl_v1_SubmitReceipt>;
  
  SubmitUpdate: grpc.handleClientStreamingCall<_hefl_v1_UpdateChunk__Output, _hefl_v1_SubmitReceipt>;
  
}

export interface FederationDefinition extends grpc.ServiceDefinition {
  FetchAggregate: MethodDefinition<_hefl_v1_FetchAggregateRequest, _hefl_v1_AggregateChunk, _hefl_v1_FetchAggregateRequest__Output, _hefl_v1_AggregateChunk__Output>
  FetchContributions: MethodDefinition<_hefl_v1_FetchAggregateRequest, _hefl_v1_ContributionChunk, _hefl_v1_FetchAggregateRequest__Output, _hefl_v1_ContributionChunk__Output>
  FetchDecryptedAggregate: MethodDefinition<_hefl_v1_FetchAggregateRequest, _hefl_v1_DecryptedChunk, _hefl_v1_FetchAggregateRequest__Output, _hefl_v1_DecryptedChunk__Output>
  Join: MethodDefinition<_hefl_v1_JoinRequest, _hefl_v1_CoordinatorEvent, _hefl_v1_JoinRequest__Output, _hefl_v1_CoordinatorEvent__Output>
  ReportEvaluation: MethodDefinition<_hefl_v1_EvaluationReport, _hefl_v1_EvaluationReceipt, _hefl_v1_EvaluationReport__Output, _hefl_v1_EvaluationReceipt__Output>
  ReportFailure: MethodDefinition<_hefl_v1_FailureReport, _hefl_v1_SubmitReceipt, _hefl_v1_FailureReport__Output, _hefl_v1_SubmitReceipt__Output>
  SubmitDecryptionShare: MethodDefinition<_hefl_v1_DecryptionShareChunk, _hefl_v1_SubmitReceipt, _hefl_v1_DecryptionShareChunk__Output, _hefl_v1_SubmitReceipt__Output>
  SubmitKeySetup: MethodDefinition<_hefl_v1_KeySetupMessage, _hefl_v1_SubmitReceipt, _hefl_v1_KeySetupMessage__Output, _hefl_v1_SubmitReceipt__Output>
  SubmitUpdate: MethodDefinition<_hefl_v1_UpdateChunk, _hefl_v1_SubmitReceipt, _hefl_v1_UpdateChunk__Output, _hefl_v1_SubmitReceipt__Output>
}
