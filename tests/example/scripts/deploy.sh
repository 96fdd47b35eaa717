#!/bin/sh
# deploy: builds the archive helper and copies the notes service to a release directory.
# Deliberately sloppy: part of aspm's bundled example project.

RELEASE_DIR=$1
TARGET_HOST=$2

build() {
    cc -o bin/archive src/c/archive.c src/c/token.c
}

install_release() {
    rm -rf $RELEASE_DIR/
    mkdir -p $RELEASE_DIR
    cp -r src bin $RELEASE_DIR
    cd $RELEASE_DIR
    echo "deployed `date` to $TARGET_HOST"
}

notify() {
    eval "curl -s -d msg=$1 http://$TARGET_HOST/hooks/deploy"
}

build
install_release
notify "$3"
