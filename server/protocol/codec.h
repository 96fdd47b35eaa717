// The JSON-free entry points of the protocol layer: turn a message payload into a typed struct
// and back. Layers above protocol/ use only these, so they never see a JSON library; each type
// in types.h is instantiated in convert.cpp. Decoding errors are InvalidParams errors whose
// message names the JSON path, e.g. "params.textDocument.uri: expected string, got number".
#pragma once

#include <string_view>

#include "protocol/types.h"
#include "transport/jsonrpc.h"

namespace aspm::protocol {

template <typename T>
transport::Expected<T> decode(const Json& json, std::string_view root = "params");

template <typename T>
Json encode(const T& value);

#define ASPM_PROTOCOL_EXTERN_CODEC(T)                                                    \
  extern template transport::Expected<T> decode<T>(const Json&, std::string_view); \
  extern template Json encode<T>(const T&);
ASPM_PROTOCOL_STRUCTS(ASPM_PROTOCOL_EXTERN_CODEC)
ASPM_PROTOCOL_ALIASES(ASPM_PROTOCOL_EXTERN_CODEC)
#undef ASPM_PROTOCOL_EXTERN_CODEC

}  // namespace aspm::protocol
