/**
 * The model zoo: vision, audio and LLM workloads built in code from their published
 * architectures (torchvision, TF-slim, TF object detection API, ultralytics, VainF DeepLabV3+,
 * openai/whisper, Hugging Face config.json files). {@link io.npusim.workloads.zoo.ModelZoo} names
 * them and builds their graphs lazily, caching per zoo instance.
 */
package io.npusim.workloads.zoo;
