// Original file: proto/federation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { JoinRequest as _hefl_v1_JoinRequest, JoinRequest__Output as _hefl_v1_JoinRequest__Output } from '../../hefl/v1/JoinRequest.js';
import type { SubmitReceipt as _hefl_v1_SubmitReceipt, SubmitReceipt__Output as _hefl_v1_SubmitReceipt__Output } from '../../hefl/v1/SubmitReceipt.js';
import type { VerticalChunk as _hefl_v1_VerticalChunk, VerticalChunk__Output as _hefl_v1_VerticalChunk__Output } from '../../hefl/v1/VerticalChunk.js';
import type { VerticalFetchRequest as _hefl_v1_VerticalFetchRequest, VerticalFetchRequest__Output as _hefl_v1_VerticalFetchRequest__Output } from '../../hefl/v1/VerticalFetchRequest.js';
import type { VerticalNotice as _hefl_v1_VerticalNotice, VerticalNotice__Output as _hefl_v1_VerticalNotice__Output } from '../../hefl/v1/VerticalNotice.js';

export interface VerticalFederationClient extends grpc.Client {
  FetchVertical(argument: _hefl_v1_VerticalFetchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalChunk__Output>;
  FetchVertical(argument: _hefl_v1_VerticalFetchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalChunk__Output>;
  fetchVertical(argument: _hefl_v1_VerticalFetchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalChunk__Output>;
  fetchVertical(argument: _hefl_v1_VerticalFetchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalChunk__Output>;
  
  JoinVertical(argument: _hefl_v1_JoinRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalNotice__Output>;
  JoinVertical(argument: _hefl_v1_JoinRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalNotice__Output>;
  joinVertical(argument: _hefl_v1_JoinRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalNotice__Output>;
  joinVertical(argument: _hefl_v1_JoinRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hefl_v1_VerticalNotice__Output>;
  
  PostVertical(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  PostVertical(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  PostVertical(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  PostVertical(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  postVertical(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  postVertical(metadata: grpc.Metadata, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  postVertical(options: grpc.CallOptions, callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  postVertical(callback: grpc.requestCallback<_hefl_v1_SubmitReceipt__Output>): grpc.ClientWritableStream<_hefl_v1_VerticalChunk>;
  
}

export interface VerticalFederationHandlers extends grpc.UntypedServiceImplementation {
  FetchVertical: grpc.handleServerStreamingCall<_hefl_v1_VerticalFetchRequest__Output, _hefl_v1_VerticalChunk>;
  
  JoinVertical: grpc.handleServerStreamingCall<_hefl_v1_JoinRequest__Output, _hefl_v1_VerticalNotice>;
  
  PostVertical: grpc.handleClientStreamingCall<_hefl_v1_VerticalChunk__Output, _hefl_v1_SubmitReceipt>;
  
}

export interface VerticalFederationDefinition extends grpc.ServiceDefinition {
  FetchVertical: MethodDefinition<_hefl_v1_VerticalFetchRequest, _hefl_v1_VerticalChunk, _hefl_v1_VerticalFetchRequest__Output, _hefl_v1_VerticalChunk__Output>
  JoinVertical: MethodDefinition<_hefl_v1_JoinRequest, _hefl_v1_VerticalNotice, _hefl_v1_JoinRequest__Output, _hefl_v1_VerticalNotice__Output>
  PostVertical: MethodDefinition<_hefl_v1_VerticalChunk, _hefl_v1_SubmitReceipt, _hefl_v1_VerticalChunk__Output, _hefl_v1_SubmitReceipt__Output>
}
