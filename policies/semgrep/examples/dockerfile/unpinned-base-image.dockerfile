# ruleid: gantry.dockerfile.unpinned-base-image
FROM node:latest AS deps
# ruleid: gantry.dockerfile.unpinned-base-image
FROM python AS tools
# ok: gantry.dockerfile.unpinned-base-image
FROM --platform=$BUILDPLATFORM golang:1.22.5 AS build
# ok: gantry.dockerfile.unpinned-base-image
FROM gcr.io/distroless/static-debian12@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
USER 65532
